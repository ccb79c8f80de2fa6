import GRDB

/// The ledger's schema. Migrations are frozen once shipped: add a new one, never edit an old one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: registrations, processed files, audit log") { db in
            try db.execute(sql: """
                CREATE TABLE registration (
                    id TEXT PRIMARY KEY NOT NULL,
                    partner_id TEXT NOT NULL,
                    account_name TEXT NOT NULL,
                    account_domain TEXT,
                    contact_email TEXT,
                    country TEXT,
                    city TEXT,
                    postal_code TEXT,
                    phone TEXT,
                    name_key TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN
                        ('submitted', 'under_review', 'approved', 'rejected', 'returned', 'expired', 'withdrawn', 'closed_won')),
                    decision TEXT NOT NULL CHECK (decision IN ('approved', 'declined', 'needs_review', 'needs_info')),
                    reason_codes TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    match_score INTEGER,
                    matched_record TEXT,
                    deal_value REAL,
                    currency TEXT,
                    submitted_at TEXT,
                    decided_on TEXT NOT NULL,
                    expires_on TEXT,
                    extensions_used INTEGER NOT NULL DEFAULT 0 CHECK (extensions_used >= 0),
                    source_file TEXT NOT NULL,
                    source_row INTEGER NOT NULL CHECK (source_row >= 1),
                    file_sha256 TEXT NOT NULL REFERENCES processed_file(sha256),
                    policy_version TEXT NOT NULL,
                    UNIQUE (file_sha256, source_row)
                ) STRICT;
                CREATE INDEX registration_status ON registration(status, expires_on);
                CREATE INDEX registration_partner ON registration(partner_id, status);
                CREATE TABLE processed_file (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    processed_on TEXT NOT NULL,
                    rows INTEGER NOT NULL CHECK (rows >= 0),
                    approved INTEGER NOT NULL,
                    declined INTEGER NOT NULL,
                    needs_review INTEGER NOT NULL,
                    needs_info INTEGER NOT NULL,
                    results_name TEXT NOT NULL,
                    results_csv BLOB NOT NULL,
                    partner_csv BLOB NOT NULL
                ) STRICT;
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    registration_id TEXT NOT NULL REFERENCES registration(id),
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    inputs_digest TEXT,
                    score INTEGER,
                    rationale TEXT,
                    note TEXT
                ) STRICT;
                CREATE INDEX audit_registration ON audit(registration_id, id);
                -- The audit log is append-only.
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v2: expiry reminders") { db in
            try db.execute(sql: """
                CREATE TABLE reminder (
                    registration_id TEXT NOT NULL REFERENCES registration(id),
                    expires_on TEXT NOT NULL,
                    written_on TEXT NOT NULL,
                    PRIMARY KEY (registration_id, expires_on)
                ) STRICT;
                """)
        }
        migrator.registerMigration("v3: street address and match evidence") { db in
            // The address lets tomorrow's batch tell a chain's other site from this one
            // (match.sites); the evidence shows reviewers why a row was flagged.
            try db.execute(sql: """
                ALTER TABLE registration ADD COLUMN address TEXT;
                ALTER TABLE registration ADD COLUMN match_evidence TEXT;
                ALTER TABLE registration ADD COLUMN related_record TEXT;
                ALTER TABLE registration ADD COLUMN related_evidence TEXT;
                """)
        }
        migrator.registerMigration("v4: what each file owes its partners") { db in
            // Recorded in the transaction that records the file's decisions, so a crash after it
            // cannot lose an email: the next run delivers what is still owed, once.
            try db.execute(sql: """
                CREATE TABLE owed (
                    file_sha256 TEXT NOT NULL REFERENCES processed_file(sha256),
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    delivered_on TEXT,
                    PRIMARY KEY (file_sha256, kind, name)
                ) STRICT;
                CREATE INDEX owed_undelivered ON owed(kind, delivered_on);
                """)
        }
        migrator.registerMigration("v5: notices of status changes") { db in
            // The email a status change owes its partner, recorded in the status change's transaction.
            try db.execute(sql: """
                CREATE TABLE notice (
                    name TEXT PRIMARY KEY,
                    registration_id TEXT NOT NULL REFERENCES registration(id),
                    action TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    delivered_on TEXT
                ) STRICT;
                CREATE INDEX notice_undelivered ON notice(delivered_on);
                """)
        }
        migrator.registerMigration("v6: close date and the partner's reference") { db in
            try db.execute(sql: """
                ALTER TABLE registration ADD COLUMN expected_close_date TEXT;
                ALTER TABLE registration ADD COLUMN partner_reference TEXT;
                """)
        }
        migrator.registerMigration("v7: the automatic decision beside the human one, and the review owner") { db in
            // What the rules decided (in shadow mode: would have decided) and by which rule, kept
            // apart from the reviewer's decision, so overrides can be counted; who works the item.
            // Rows decided before v7 take theirs from the audit log's first entry.
            try db.execute(sql: """
                ALTER TABLE registration ADD COLUMN auto_decision TEXT
                    CHECK (auto_decision IN ('approved', 'declined', 'needs_review', 'needs_info'));
                ALTER TABLE registration ADD COLUMN auto_rule TEXT;
                ALTER TABLE registration ADD COLUMN human_decision TEXT
                    CHECK (human_decision IN ('approved', 'declined', 'needs_info'));
                ALTER TABLE registration ADD COLUMN reviewed_by TEXT;
                ALTER TABLE registration ADD COLUMN reviewed_on TEXT;
                ALTER TABLE registration ADD COLUMN owner TEXT;
                UPDATE registration SET
                    auto_rule = (SELECT CASE WHEN instr(a.rationale, ' | ') > 0
                                             THEN substr(a.rationale, 1, instr(a.rationale, ' | ') - 1) END
                                 FROM audit a WHERE a.registration_id = registration.id AND a.action = 'decide'
                                 ORDER BY a.id LIMIT 1),
                    auto_decision = (SELECT CASE
                            WHEN instr(a.rationale, 'shadow_mode: would have been approved ') > 0 THEN 'approved'
                            WHEN instr(a.rationale, 'shadow_mode: would have been declined ') > 0 THEN 'declined'
                            WHEN instr(a.rationale, 'shadow_mode: would have been needs_review ') > 0 THEN 'needs_review'
                            WHEN instr(a.rationale, 'shadow_mode: would have been needs_info ') > 0 THEN 'needs_info'
                            WHEN a.to_status = 'approved' THEN 'approved'
                            WHEN a.to_status = 'under_review' THEN 'needs_review'
                            WHEN a.to_status = 'rejected' THEN 'declined'
                            WHEN a.to_status = 'returned' THEN 'needs_info' END
                        FROM audit a WHERE a.registration_id = registration.id AND a.action = 'decide'
                        ORDER BY a.id LIMIT 1);
                UPDATE registration SET
                    human_decision = (SELECT CASE a.action WHEN 'review.approve' THEN 'approved' ELSE 'declined' END
                                      FROM audit a WHERE a.registration_id = registration.id
                                      AND a.action IN ('review.approve', 'review.reject') ORDER BY a.id DESC LIMIT 1),
                    reviewed_by = (SELECT a.actor FROM audit a WHERE a.registration_id = registration.id
                                   AND a.action IN ('review.approve', 'review.reject') ORDER BY a.id DESC LIMIT 1),
                    reviewed_on = (SELECT substr(a.at, 1, 10) FROM audit a WHERE a.registration_id = registration.id
                                   AND a.action IN ('review.approve', 'review.reject') ORDER BY a.id DESC LIMIT 1);
                CREATE INDEX registration_owner ON registration(owner, status);
                """)
        }
        migrator.registerMigration("v8: weekly digests") { db in
            // One row per digest per recipient per period: recorded with the email it owes in one
            // transaction (so a rerun of the same period writes nothing new and a crash loses nothing),
            // then written into the outbox once.
            try db.execute(sql: """
                CREATE TABLE digest (
                    audience TEXT NOT NULL CHECK (audience IN ('partners', 'team')),
                    recipient TEXT NOT NULL,
                    period TEXT NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    bytes BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    delivered_on TEXT,
                    PRIMARY KEY (audience, recipient, period)
                ) STRICT;
                CREATE INDEX digest_undelivered ON digest(delivered_on);
                """)
        }
        migrator.registerMigration("v9: confidence and inputs") { db in
            // The rules' confidence, kept so `report` can calibrate the auto-approve levels on reviewers'
            // decisions; what a reviewer declined a row as a duplicate of; the snapshot and partner list each file was decided against, by SHA-256, so
            // `replay` can say when it is given others.
            try db.execute(sql: """
                ALTER TABLE registration ADD COLUMN confidence INTEGER;
                ALTER TABLE registration ADD COLUMN duplicate_of TEXT;
                ALTER TABLE registration ADD COLUMN best_score INTEGER;
                ALTER TABLE processed_file ADD COLUMN snapshot_sha256 TEXT;
                ALTER TABLE processed_file ADD COLUMN partners_sha256 TEXT;
                """)
        }
        migrator.registerMigration("v10: large values in parts") { db in
            // A file's result files and what it owes are recorded in parts as they are read from disk
            // (never whole in memory); the record's own column is then empty.
            try db.execute(sql: """
                CREATE TABLE blob_part (
                    file_sha256 TEXT NOT NULL REFERENCES processed_file(sha256),
                    item TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 0),
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (file_sha256, item, seq)
                ) STRICT;
                """)
        }
        return migrator
    }
}
