# dealreg for a cron or server host: a multi-stage build.
#
#   docker build -t dealreg .
#   docker run -d --name dealreg -v /srv/dealreg:/srv/dealreg dealreg          # cron -f, jobs of scripts/dealreg.cron
#   docker run --rm -v /srv/dealreg:/srv/dealreg dealreg dealreg batch --help  # or any one command
#
# Stage 1 builds exactly as scripts/install.sh does (a release build with --static-swift-stdlib:
# the Swift runtime and Foundation linked in, the email templates compiled in) and installs the
# binary, the man page and the shell completions under /opt/dealreg. Stage 2 is Debian 12 slim
# with what that binary still links (ICU 72, SQLite, libstdc++), cron and a sendmail for --send.
# Both stages are Debian 12 (bookworm), so the ICU the binary was built against is the one it finds.
ARG SWIFT_VERSION=6.3

FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libicu-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a change to the sources does not fetch them again. Package.resolved is
# not in the repository (see README, "Dependency versions"): keep the one `swift package resolve`
# writes with your deployment and put it beside Package.swift to pin them; the glob copies it
# when it is there.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve
COPY Sources Sources
COPY Tests Tests
COPY scripts scripts
RUN bash scripts/install.sh /opt/dealreg \
 && strip /opt/dealreg/bin/dealreg \
 && /opt/dealreg/bin/dealreg --version

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libicu72 libsqlite3-0 libstdc++6 ca-certificates tzdata cron msmtp-mta \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/dealreg/ /usr/local/
COPY scripts/dealreg.cron /etc/cron.d/dealreg
RUN chmod 0644 /etc/cron.d/dealreg \
 && useradd --system --home-dir /srv/dealreg --shell /usr/sbin/nologin dealreg \
 && install -d -o dealreg -g dealreg -m 0750 /srv/dealreg \
 && dealreg --version
# The working folder of the cron jobs: inbox, archive, results, outbox, crm/deals.csv, partners.csv,
# policy.yaml, the ledger and batch.log (see scripts/dealreg.cron). Mount it from the host.
VOLUME /srv/dealreg
WORKDIR /srv/dealreg
# cron in the foreground; its jobs run as the dealreg user.
CMD ["cron", "-f"]
