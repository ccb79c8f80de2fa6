#include "dealreg_icu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/uidna.h>
#include <unicode/uldnames.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/uregion.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

void dr_icu_version(char *out, int32_t cap) {
    UVersionInfo v;
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, text);
    strncpy(out, text, (size_t)cap);
    if (cap > 0) out[cap - 1] = 0;
}

const char *dr_error_name(int32_t err) { return u_errorName((UErrorCode)err); }

/* ---- Encodings ---------------------------------------------------------- */

int32_t dr_detect_signature(const uint8_t *buf, int32_t len, char *name, int32_t nameCap) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t sigLen = 0;
    const char *found = ucnv_detectUnicodeSignature((const char *)buf, len, &sigLen, &st);
    if (U_FAILURE(st) || found == NULL) return 0;
    strncpy(name, found, (size_t)nameCap);
    if (nameCap > 0) name[nameCap - 1] = 0;
    return sigLen;
}

int32_t dr_detect_charsets(const uint8_t *buf, int32_t len, char *names,
                           int32_t *confidences, int32_t maxResults, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    int32_t count = 0, written = 0;
    if (U_SUCCESS(st)) ucsdet_setText(det, (const char *)buf, len, &st);
    const UCharsetMatch **matches = U_SUCCESS(st) ? ucsdet_detectAll(det, &count, &st) : NULL;
    for (int32_t i = 0; U_SUCCESS(st) && i < count && written < maxResults; i++) {
        const char *name = ucsdet_getName(matches[i], &st);
        int32_t confidence = ucsdet_getConfidence(matches[i], &st);
        if (U_FAILURE(st) || name == NULL) break;
        strncpy(names + 32 * written, name, 31);
        names[32 * written + 31] = 0;
        confidences[written++] = confidence;
    }
    if (det) ucsdet_close(det);
    *err = (int32_t)st;
    return written;
}

int32_t dr_canonical_charset(const char *alias, char *out, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(alias, &st);
    if (U_FAILURE(st) || st == U_AMBIGUOUS_ALIAS_WARNING) {
        if (cnv) ucnv_close(cnv);
        *err = U_FAILURE(st) ? (int32_t)st : 0;
        if (U_FAILURE(st)) return 0;
        st = U_ZERO_ERROR;
        cnv = ucnv_open(alias, &st);
    }
    const char *name = ucnv_getName(cnv, &st);
    if (U_SUCCESS(st)) {
        strncpy(out, name, (size_t)cap);
        if (cap > 0) out[cap - 1] = 0;
    }
    ucnv_close(cnv);
    *err = (int32_t)st;
    return U_SUCCESS(st) ? 1 : 0;
}

struct dr_transcoder {
    UConverter *source;  /* what convert reads */
    UConverter *utf8;    /* what convert writes: UTF-8, or the target charset of an encoder */
    UChar pivot[4096];
    UChar *pivotSource;
    UChar *pivotTarget;
    int64_t substitutions;
};

/* To-Unicode callback: every illegal, irregular or unassigned sequence
 * becomes U+FFFD (never U+001A) and is counted. */
static void dr_substitute_and_count(const void *context, UConverterToUnicodeArgs *args,
                                    const char *codeUnits, int32_t length,
                                    UConverterCallbackReason reason, UErrorCode *err) {
    (void)codeUnits; (void)length;
    if (reason > UCNV_IRREGULAR) return; /* reset, close, clone: nothing to do */
    dr_transcoder *t = (dr_transcoder *)context;
    t->substitutions++;
    static const UChar replacement = 0xFFFD;
    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
}

dr_transcoder *dr_transcoder_open(const char *fromCharset, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    dr_transcoder *t = calloc(1, sizeof *t);
    if (!t) { *err = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    t->source = ucnv_open(fromCharset, &st);
    if (U_SUCCESS(st)) t->utf8 = ucnv_open("UTF-8", &st);
    if (U_SUCCESS(st))
        ucnv_setToUCallBack(t->source, dr_substitute_and_count, t, NULL, NULL, &st);
    if (U_FAILURE(st)) {
        dr_transcoder_close(t);
        *err = (int32_t)st;
        return NULL;
    }
    t->pivotSource = t->pivotTarget = t->pivot;
    *err = 0;
    return t;
}

dr_transcoder *dr_encoder_open(const char *toCharset, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    dr_transcoder *t = calloc(1, sizeof *t);
    if (!t) { *err = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    t->source = ucnv_open("UTF-8", &st);
    if (U_SUCCESS(st)) t->utf8 = ucnv_open(toCharset, &st);
    if (U_SUCCESS(st))
        ucnv_setFromUCallBack(t->utf8, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    if (U_SUCCESS(st))
        ucnv_setToUCallBack(t->source, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    if (U_FAILURE(st)) {
        dr_transcoder_close(t);
        *err = (int32_t)st;
        return NULL;
    }
    t->pivotSource = t->pivotTarget = t->pivot;
    *err = 0;
    return t;
}

int32_t dr_transcoder_convert(dr_transcoder *t, const uint8_t *src, int32_t srcLen,
                              int32_t *consumed, uint8_t *dst, int32_t dstCap,
                              int32_t *produced, int32_t flush, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    const char *source = (const char *)src;
    char *target = (char *)dst;
    ucnv_convertEx(t->utf8, t->source, &target, (char *)dst + dstCap, &source, source + srcLen,
                   t->pivot, &t->pivotSource, &t->pivotTarget, t->pivot + 4096,
                   0, flush ? 1 : 0, &st);
    *consumed = (int32_t)(source - (const char *)src);
    *produced = (int32_t)(target - (char *)dst);
    if (st == U_BUFFER_OVERFLOW_ERROR) { *err = 0; return 1; }
    *err = (int32_t)st;
    return 0;
}

int64_t dr_transcoder_substitutions(const dr_transcoder *t) { return t->substitutions; }

void dr_transcoder_close(dr_transcoder *t) {
    if (!t) return;
    if (t->source) ucnv_close(t->source);
    if (t->utf8) ucnv_close(t->utf8);
    free(t);
}

/* ---- Normalization ------------------------------------------------------ */

/* The filtered normalizer is immutable and thread-safe once built. */
static const UNormalizer2 *dr_filtered_nfkc_cf(UErrorCode *st) {
    static UNormalizer2 *filtered = NULL;
    static int initialised = 0;
    if (__atomic_load_n(&initialised, __ATOMIC_ACQUIRE)) return filtered;
    const UNormalizer2 *base = unorm2_getNFKCCasefoldInstance(st);
    static const UChar pattern[] = u"[^\\u0E33\\u0EB3]";
    USet *keep = uset_openPattern(pattern, -1, st);
    UNormalizer2 *built = U_SUCCESS(*st) ? unorm2_openFiltered(base, keep, st) : NULL;
    /* the set must outlive the normalizer: it is kept for the process lifetime */
    UNormalizer2 *expected = NULL;
    if (built && !__atomic_compare_exchange_n(&filtered, &expected, built, 0,
                                              __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        unorm2_close(built);
    }
    __atomic_store_n(&initialised, 1, __ATOMIC_RELEASE);
    return filtered;
}

int32_t dr_nfkc_casefold(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n = dr_filtered_nfkc_cf(&st);
    int32_t out = U_SUCCESS(st) && n ? unorm2_normalize(n, (const UChar *)src, len, (UChar *)dst, cap, &st) : 0;
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
    *err = (int32_t)st;
    return out;
}

int32_t dr_nfkc(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCInstance(&st);
    int32_t out = U_SUCCESS(st) ? unorm2_normalize(n, (const UChar *)src, len, (UChar *)dst, cap, &st) : 0;
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
    *err = (int32_t)st;
    return out;
}

struct dr_transliterator { UTransliterator *trans; };

dr_transliterator *dr_transliterator_open(const uint16_t *id, int32_t idLen,
                                          const uint16_t *rules, int32_t rulesLen, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    UParseError parseError;
    UTransliterator *trans = utrans_openU((const UChar *)id, idLen, UTRANS_FORWARD,
                                          (const UChar *)rules, rules ? rulesLen : 0, &parseError, &st);
    *err = (int32_t)st;
    if (U_FAILURE(st)) return NULL;
    dr_transliterator *t = malloc(sizeof *t);
    if (!t) { utrans_close(trans); *err = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    t->trans = trans;
    return t;
}

int32_t dr_transliterate(dr_transliterator *t, uint16_t *buf, int32_t len, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t textLength = len, limit = len;
    utrans_transUChars(t->trans, (UChar *)buf, &textLength, cap, 0, &limit, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) st = U_ZERO_ERROR;
    *err = (int32_t)st;
    return textLength;
}

void dr_transliterator_close(dr_transliterator *t) {
    if (!t) return;
    utrans_close(t->trans);
    free(t);
}

static USpoofChecker *dr_spoof_checker(UErrorCode *st) {
    static USpoofChecker *shared = NULL;
    USpoofChecker *current = __atomic_load_n(&shared, __ATOMIC_ACQUIRE);
    if (current) return current;
    USpoofChecker *fresh = uspoof_open(st);
    if (U_FAILURE(*st)) return NULL;
    uspoof_setChecks(fresh, USPOOF_CONFUSABLE, st);
    USpoofChecker *expected = NULL;
    if (__atomic_compare_exchange_n(&shared, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return fresh;
    uspoof_close(fresh);
    return expected;
}

int32_t dr_confusable_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *checker = dr_spoof_checker(&st);
    int32_t out = checker ? uspoof_getSkeleton(checker, 0, (const UChar *)src, len, (UChar *)dst, cap, &st) : 0;
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
    *err = (int32_t)st;
    return out;
}

int32_t dr_script_class(uint32_t codePoint) {
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)codePoint, &st);
    if (U_FAILURE(st)) return DR_SCRIPT_OTHER;
    switch (script) {
    case USCRIPT_COMMON: case USCRIPT_INHERITED: return DR_SCRIPT_COMMON;
    case USCRIPT_LATIN: return DR_SCRIPT_LATIN;
    case USCRIPT_CYRILLIC: return DR_SCRIPT_CYRILLIC;
    case USCRIPT_GREEK: return DR_SCRIPT_GREEK;
    case USCRIPT_HAN: return DR_SCRIPT_HAN;
    case USCRIPT_HIRAGANA: return DR_SCRIPT_HIRAGANA;
    case USCRIPT_KATAKANA: return DR_SCRIPT_KATAKANA;
    case USCRIPT_HANGUL: return DR_SCRIPT_HANGUL;
    case USCRIPT_THAI: return DR_SCRIPT_THAI;
    case USCRIPT_ARABIC: return DR_SCRIPT_ARABIC;
    case USCRIPT_HEBREW: return DR_SCRIPT_HEBREW;
    default: return DR_SCRIPT_OTHER;
    }
}

/* ---- Domains ------------------------------------------------------------ */

int32_t dr_idna_to_ascii(const char *name, int32_t len, char *dst, int32_t cap,
                         uint32_t *idnaErrors, int32_t *err) {
    static UIDNA *idna = NULL;
    UErrorCode st = U_ZERO_ERROR;
    UIDNA *current = __atomic_load_n(&idna, __ATOMIC_ACQUIRE);
    if (!current) {
        UIDNA *fresh = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                       UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_USE_STD3_RULES, &st);
        if (U_FAILURE(st)) { *err = (int32_t)st; return 0; }
        UIDNA *expected = NULL;
        if (__atomic_compare_exchange_n(&idna, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            current = fresh;
        } else {
            uidna_close(fresh);
            current = expected;
        }
    }
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t out = uidna_nameToASCII_UTF8(current, name, len, dst, cap, &info, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
    *idnaErrors = info.errors;
    *err = (int32_t)st;
    return out;
}

/* ---- Regions ------------------------------------------------------------ */

int32_t dr_region_from_code(const char *code, char out[3]) {
    UErrorCode st = U_ZERO_ERROR;
    const URegion *region = NULL;
    size_t n = strlen(code);
    int numeric = n > 0 && n <= 3;
    for (size_t i = 0; i < n; i++) if (code[i] < '0' || code[i] > '9') numeric = 0;
    region = numeric ? uregion_getRegionFromNumericCode(atoi(code), &st)
                     : uregion_getRegionFromCode(code, &st);
    if (U_FAILURE(st) || region == NULL) return 0;
    if (uregion_getType(region) == URGN_DEPRECATED) {
        /* an alias with exactly one replacement (DD->DE) resolves; SU, YU, CS do not */
        UEnumeration *preferred = uregion_getPreferredValues(region, &st);
        if (U_FAILURE(st) || preferred == NULL) return 0;
        int32_t count = uenum_count(preferred, &st);
        const char *only = count == 1 ? uenum_next(preferred, NULL, &st) : NULL;
        if (only) region = uregion_getRegionFromCode(only, &st);
        uenum_close(preferred);
        if (!only || U_FAILURE(st) || region == NULL) return 0;
    }
    if (uregion_getType(region) != URGN_TERRITORY) return 0;
    const char *id = uregion_getRegionCode(region);
    if (id == NULL || strlen(id) != 2 || id[0] < 'A' || id[0] > 'Z') return 0;
    out[0] = id[0]; out[1] = id[1]; out[2] = 0;
    return 1;
}

int32_t dr_iso_countries(char *out, int32_t maxCodes) {
    const char *const *codes = uloc_getISOCountries();
    int32_t n = 0;
    for (; codes[n] != NULL && n < maxCodes; n++) {
        out[3 * n] = codes[n][0];
        out[3 * n + 1] = codes[n][1];
        out[3 * n + 2] = 0;
    }
    return n;
}

int32_t dr_iso3_country(const char *alpha2, char out[4]) {
    char locale[8] = "und_";
    strncat(locale, alpha2, 2);
    const char *iso3 = uloc_getISO3Country(locale);
    if (iso3 == NULL || strlen(iso3) != 3) return 0;
    memcpy(out, iso3, 4);
    return 1;
}

struct dr_region_names { ULocaleDisplayNames *names; };

dr_region_names *dr_region_names_open(const char *locale, int32_t shortForm, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    UDisplayContext contexts[] = { shortForm ? UDISPCTX_LENGTH_SHORT : UDISPCTX_LENGTH_FULL,
                                   UDISPCTX_NO_SUBSTITUTE };
    ULocaleDisplayNames *names = uldn_openForContext(locale, contexts, 2, &st);
    *err = (int32_t)st;
    if (U_FAILURE(st)) return NULL;
    dr_region_names *handle = malloc(sizeof *handle);
    if (!handle) { uldn_close(names); *err = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    handle->names = names;
    return handle;
}

int32_t dr_region_name(dr_region_names *names, const char *alpha2, uint16_t *dst, int32_t cap, int32_t *err) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t out = uldn_regionDisplayName(names->names, alpha2, (UChar *)dst, cap, &st);
    if (st == U_USING_DEFAULT_WARNING || st == U_ILLEGAL_ARGUMENT_ERROR) { *err = 0; return 0; }
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) st = U_ZERO_ERROR;
    *err = U_FAILURE(st) ? (int32_t)st : 0;
    return U_FAILURE(st) ? 0 : out;
}

void dr_region_names_close(dr_region_names *names) {
    if (!names) return;
    uldn_close(names->names);
    free(names);
}
