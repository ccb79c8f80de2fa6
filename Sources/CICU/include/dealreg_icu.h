/*
 * dealreg_icu.h — the system ICU (72) behind plain C types.
 *
 * Swift cannot import the system ICU headers next to Foundation (whose private
 * _FoundationICU declares the same types), and the system ICU's names are
 * macros over versioned symbols. This header therefore exposes only stdint
 * types and opaque handles; every function returns or fills an ICU
 * UErrorCode as int32_t (0 = success, < 0 warning, > 0 failure).
 *
 * Handles are not thread-safe: open one per thread and reuse it for every row.
 */
#ifndef DEALREG_ICU_H
#define DEALREG_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the ICU version ("72.1") into out (NUL-terminated). */
void dr_icu_version(char *out, int32_t cap);

/* Human-readable name of an ICU error code. */
const char *dr_error_name(int32_t err);

/* ---- Encodings ---------------------------------------------------------- */

/* If buf starts with a Unicode signature (BOM), writes the charset name and
 * returns the signature length in bytes; returns 0 when there is none. */
int32_t dr_detect_signature(const uint8_t *buf, int32_t len, char *name, int32_t nameCap);

/* Runs the ICU charset detector over buf. Writes up to maxResults
 * NUL-terminated names of 32 bytes each into names and their confidences
 * (0-100); returns the number of candidates, best first. */
int32_t dr_detect_charsets(const uint8_t *buf, int32_t len, char *names,
                           int32_t *confidences, int32_t maxResults, int32_t *err);

/* Canonical ICU name of a charset alias, or 0 with *err set when unknown. */
int32_t dr_canonical_charset(const char *alias, char *out, int32_t cap, int32_t *err);

/* A streaming converter from a charset to UTF-8. Undecodable input becomes
 * U+FFFD and is counted. */
typedef struct dr_transcoder dr_transcoder;
dr_transcoder *dr_transcoder_open(const char *fromCharset, int32_t *err);
/* Converts as much of src as fits into dst. *consumed and *produced report
 * the bytes used on each side. flush != 0 marks the end of the input.
 * Returns 1 when dst filled up before src was used (call again), 0 otherwise. */
int32_t dr_transcoder_convert(dr_transcoder *t, const uint8_t *src, int32_t srcLen,
                              int32_t *consumed, uint8_t *dst, int32_t dstCap,
                              int32_t *produced, int32_t flush, int32_t *err);
/* Number of undecodable byte sequences replaced so far. */
int64_t dr_transcoder_substitutions(const dr_transcoder *t);
void dr_transcoder_close(dr_transcoder *t);

/* A streaming converter from UTF-8 to a charset (the reverse of dr_transcoder),
 * for files written in a partner's own encoding. A character the charset cannot
 * represent stops the conversion: dr_transcoder_convert then fails with
 * U_INVALID_CHAR_FOUND (10), and the caller writes UTF-8 instead. Convert and
 * close with the dr_transcoder functions. */
dr_transcoder *dr_encoder_open(const char *toCharset, int32_t *err);

/* ---- Normalization ------------------------------------------------------ */

/* NFKC_Casefold, filtered so that Thai/Lao SARA AM stay composed.
 * Returns the output length in UTF-16 units (may exceed cap: retry larger). */
int32_t dr_nfkc_casefold(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err);

/* NFKC (compatibility composition, case kept). Same contract as dr_nfkc_casefold. */
int32_t dr_nfkc(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err);

/* A cached transliterator built from an ID or compound ID, e.g.
 * "Any-Latin; Latin-ASCII", optionally with custom rules. */
typedef struct dr_transliterator dr_transliterator;
dr_transliterator *dr_transliterator_open(const uint16_t *id, int32_t idLen,
                                          const uint16_t *rules, int32_t rulesLen, int32_t *err);
/* Transliterates buf in place; len is the input length, cap the buffer size.
 * Returns the output length (may exceed cap: retry with a larger buffer). */
int32_t dr_transliterate(dr_transliterator *t, uint16_t *buf, int32_t len, int32_t cap, int32_t *err);
void dr_transliterator_close(dr_transliterator *t);

/* UTS #39 confusable skeleton (e.g. Cyrillic "раураl" -> "paypal"). Returns the
 * output length in UTF-16 units (may exceed cap: retry larger). Thread-safe. */
int32_t dr_confusable_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err);

/* Script classes dealreg distinguishes (values of dr_script_class). */
enum {
    DR_SCRIPT_COMMON = 0, DR_SCRIPT_LATIN = 1, DR_SCRIPT_CYRILLIC = 2, DR_SCRIPT_GREEK = 3,
    DR_SCRIPT_HAN = 4, DR_SCRIPT_HIRAGANA = 5, DR_SCRIPT_KATAKANA = 6, DR_SCRIPT_HANGUL = 7,
    DR_SCRIPT_THAI = 8, DR_SCRIPT_ARABIC = 9, DR_SCRIPT_HEBREW = 10, DR_SCRIPT_OTHER = 99
};

/* The script class of a code point (Common and Inherited both give DR_SCRIPT_COMMON). */
int32_t dr_script_class(uint32_t codePoint);

/* ---- Domains ------------------------------------------------------------ */

/* UTS #46 non-transitional ToASCII with STD3 rules, CheckBidi, CheckContextJ.
 * Input and output are UTF-8. Returns the output length; *idnaErrors holds
 * the UIDNA_ERROR_* bits (0 = valid). */
int32_t dr_idna_to_ascii(const char *name, int32_t len, char *dst, int32_t cap,
                         uint32_t *idnaErrors, int32_t *err);

/* ---- Regions ------------------------------------------------------------ */

/* Resolves a 2-letter, 3-letter or numeric code (ICU aliases included, e.g.
 * UK -> GB) to an ISO 3166-1 alpha-2 territory code. Returns 1 on success. */
int32_t dr_region_from_code(const char *code, char out[3]);

/* The ISO 3166-1 alpha-2 codes ICU knows, each 2 letters + NUL, 3 bytes a code.
 * Returns how many were written. */
int32_t dr_iso_countries(char *out, int32_t maxCodes);

/* alpha-3 code of an alpha-2 territory (out receives 3 letters + NUL). */
int32_t dr_iso3_country(const char *alpha2, char out[4]);

/* Territory display names in one locale; shortForm selects short names ("UK"). */
typedef struct dr_region_names dr_region_names;
dr_region_names *dr_region_names_open(const char *locale, int32_t shortForm, int32_t *err);
/* Writes the name of alpha2 as UTF-16 and returns its length, or 0 when the
 * locale has no name of its own for it. */
int32_t dr_region_name(dr_region_names *names, const char *alpha2, uint16_t *dst, int32_t cap, int32_t *err);
void dr_region_names_close(dr_region_names *names);

#ifdef __cplusplus
}
#endif
#endif
