/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-phi"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wc-core-resources.h"
#include "wc-phi-detector.h"

/* How the detector stays quiet on ordinary posts: every pattern looks for a
 * shape (a number grouped like a phone number, a day-month-year date), and
 * a shape only becomes a hit with the context that makes it identifying —
 * a birth word before a date, a patient word near it, an address before a
 * postcode.  Announcements of talks and congresses switch off the checks
 * whose shapes they are full of (dates, rooms, names with honorifics).
 *
 * All patterns are compiled once, in the constructor.  A run matches each
 * of them once over the text; the context checks around a candidate look at
 * a few dozen bytes, so a run stays linear in the length of the draft.  No
 * pattern nests unbounded quantifiers. */

#define VOCABULARY_RESOURCE "/io/github/whitecoat/Whitecoat/core/checks/phi-vocabulary.json"

/* Pattern pieces.  A "word" boundary that understands accented letters. */
#define WB_L    "(?<![\\p{L}\\p{N}_])"
#define WB_R    "(?![\\p{L}\\p{N}_])"
/* A number that is not the tail or the head of a longer one. */
#define NUM_L   "(?<![\\p{L}\\p{N}_.,/+\\-])"
#define NUM_R   "(?![\\p{N}_]|[.,/\\-]\\p{N})"
#define SP      "[ \\t\\x{00A0}]+"
#define SP0     "[ \\t\\x{00A0}]*"
#define NAME_WORD "\\p{Lu}['’]?\\p{L}\\p{Ll}*(?:-\\p{Lu}\\p{Ll}+)?"
#define INITIALS  "\\p{Lu}\\.[ \\t]?(?:-?\\p{Lu}\\.[ \\t]?){0,3}"

/* Windows, in bytes, within which context counts. */
#define NEAR_CONTEXT     100
#define NEAR_LECTURE     150
#define NEAR_AGE_CONTEXT  60
#define TAIL_WINDOW       48

enum
{
  /* context */
  RE_PATIENT,
  RE_PERSON,
  RE_CLINICAL,
  RE_LECTURE,
  RE_ANNIVERSARY,
  RE_HONORIFIC_NAME,
  RE_PATIENT_NAME,
  RE_AGE_AFTER_NAME,
  RE_BIRTH_TAIL,
  RE_BIRTH_HEAD,
  RE_BLOCKER_TAIL,
  RE_ID_PREFIX_TAIL,
  RE_PHONE_WORD_TAIL,
  RE_POSTCODE_WORD_TAIL,
  RE_NAME_COMMA_TAIL,
  RE_COMMA_TAIL,
  RE_UNIT_HEAD,
  RE_RANGE_HEAD,
  RE_PLACE_HEAD,
  RE_LOWER_WORD_HEAD,
  /* detectors */
  RE_DATE_NUMERIC,
  RE_DATE_ISO,
  RE_DATE_DMY,
  RE_DATE_MDY,
  RE_DATE_PARTIAL,
  RE_AGE_STRONG,
  RE_AGE_WEAK,
  RE_AGE_BRACKET,
  RE_PHONE,
  RE_EMAIL,
  RE_POSTCODE_NL,
  RE_POSTCODE_UK,
  RE_POSTCODE_US,
  RE_POSTCODE_EU,
  RE_STREET_COMPOUND,
  RE_STREET_EN,
  RE_STREET_DE,
  RE_STREET_FR,
  RE_STREET_FR_AFTER,
  RE_IBAN,
  RE_RECORD,
  RE_SSN,
  RE_SSN_WORD,
  RE_BSN,
  RE_BSN_WORD,
  RE_NHS,
  RE_ROOM,
  RE_RARE,
  N_RES
};

struct _WcPhiDetector
{
  GObject     parent_instance;

  GRegex     *re[N_RES];
  GRegex     *own_org_re;          /* NULL while the user named none */
  char       *own_orgs_key;        /* the names own_org_re was built from */

  GHashTable *street_exclusions;   /* casefolded */
  GHashTable *given_names;
  GHashTable *determiners;
  GHashTable *nl_excluded_letters;
  GHashTable *email_roles;         /* casefolded */
  GHashTable *cities;
  GHashTable *strict_room_words;   /* casefolded */
  GHashTable *hall_room_words;     /* casefolded */
  GHashTable *ambiguous_states;
  GHashTable *titles;
};

/* What one run knows about the text while it looks. */
typedef struct
{
  WcPhiDetector *self;
  const char    *text;
  gsize          len;
  GArray        *hits;
  guint          first_hit;

  GArray        *claims;       /* WcSpan: stretches already explained */
  GArray        *patient;      /* WcSpan of each kind of context */
  GArray        *person;
  GArray        *clinical;
  GArray        *lecture;
  GArray        *anniversary;
  GArray        *named;        /* honorific + name */
  GArray        *patient_names; /* names reported as a patient's */
  GArray        *ages;         /* age expressions of any age */
  GArray        *addresses;
  GArray        *pending_phones;
  gboolean       has_date;
  gboolean       has_story;    /* a patient, person, age or clinical event */
  gboolean       has_own_org;  /* the user's hospital or practice is named */
} Run;

G_DEFINE_FINAL_TYPE (WcPhiDetector, wc_phi_detector, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-phi-detector-error-quark, wc_phi_detector_error)

/* Vocabulary loading */

static gboolean
add_words_from_node (JsonNode    *node,
                     const char  *member,
                     GPtrArray   *words,
                     GError     **error)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element)
              || json_node_get_value_type (element) != G_TYPE_STRING
              || *json_node_get_string (element) == '\0')
            {
              g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                           "“%s” holds something other than a word", member);
              return FALSE;
            }
          g_ptr_array_add (words, g_strdup (json_node_get_string (element)));
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          if (g_str_equal (l->data, "comment"))
            continue;
          if (!add_words_from_node (json_object_get_member (object, l->data), member, words, error))
            return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
               "“%s” is neither a list nor a table of lists", member);
  return FALSE;
}

/* The words under @member of @root (a list, or lists per language),
 * or under @member.@sub when @sub is given. */
static GPtrArray *
get_words (JsonObject  *root,
           const char  *member,
           const char  *sub,
           GError     **error)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (root, member);

  if (node != NULL && sub != NULL)
    {
      node = JSON_NODE_HOLDS_OBJECT (node)
        ? json_object_get_member (json_node_get_object (node), sub)
        : NULL;
    }

  if (node == NULL)
    {
      g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                   "the vocabulary lacks “%s%s%s”", member, sub ? "." : "", sub ? sub : "");
      return NULL;
    }

  if (!add_words_from_node (node, member, words, error))
    return NULL;

  if (words->len == 0)
    {
      g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                   "“%s” is empty", member);
      return NULL;
    }

  return g_steal_pointer (&words);
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  const char *sa = *(const char * const *) a;
  const char *sb = *(const char * const *) b;
  gsize la = strlen (sa);
  gsize lb = strlen (sb);

  if (la != lb)
    return la > lb ? -1 : 1;
  return strcmp (sa, sb);
}

/* "(?:w1|w2|…)": the words escaped, longest first so that an alternation
 * prefers "patiënte" to "patiënt"; a space matches any run of blanks and an
 * apostrophe either apostrophe. */
static char *
build_alternation (GPtrArray *words)
{
  g_autoptr(GString) pattern = g_string_new ("(?:");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_sort (words, compare_longest_first);

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      g_autofree char *escaped = NULL;

      if (!g_hash_table_add (seen, (gpointer) word))
        continue;

      escaped = g_regex_escape_string (word, -1);
      if (pattern->len > 3)
        g_string_append_c (pattern, '|');

      for (const char *p = escaped; *p != '\0'; p++)
        {
          if (*p == ' ')
            {
              while (p[1] == ' ')
                p++;
              g_string_append (pattern, SP);
            }
          else if (*p == '\'')
            g_string_append (pattern, "['’]");
          else
            g_string_append_c (pattern, *p);
        }
    }

  g_string_append_c (pattern, ')');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static GHashTable *
build_set (GPtrArray *words,
           gboolean   casefold)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      g_hash_table_add (set, casefold ? g_utf8_casefold (word, -1) : g_strdup (word));
    }

  return set;
}

static gboolean
set_contains (GHashTable *set,
              const char *text,
              gsize       len,
              gboolean    casefold)
{
  g_autofree char *key = casefold ? g_utf8_casefold (text, len) : g_strndup (text, len);

  return g_hash_table_contains (set, key);
}

static gboolean
compile (WcPhiDetector  *self,
         guint           id,
         const char     *pattern,
         GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  self->re[id] = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &local_error);
  if (self->re[id] == NULL)
    {
      g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                   "cannot build pattern %u from the vocabulary: %s", id, local_error->message);
      return FALSE;
    }
  return TRUE;
}

#define WORDS(var, member, sub) \
  g_autoptr(GPtrArray) var = get_words (root, member, sub, error); \
  if (var == NULL) \
    return FALSE

#define ALT(var, words) \
  g_autofree char *var = build_alternation (words)

#define COMPILE(id, ...) \
  G_STMT_START { \
    g_autofree char *pattern_ = g_strconcat (__VA_ARGS__, NULL); \
    if (!compile (self, id, pattern_, error)) \
      return FALSE; \
  } G_STMT_END

static gboolean
load_vocabulary (WcPhiDetector  *self,
                 JsonObject     *root,
                 GError        **error)
{
  static const char * const ambiguous_states[] = {
    "ID", "IN", "OR", "ME", "OK", "HI", "OH", "DE", "PA", "MD", "CT", "MS", "LA", "AL", "CO", "GA",
  };
  static const char * const titles[] = {
    "Dr", "Drs", "Prof", "Professor", "Doktor", "Dokter", "Docteur", "Doctor", "Ir", "Ing",
    "Dipl", "Pr", "Mr", "Mrs", "Ms", "Herr", "Frau", "Madame", "Monsieur",
  };

  WORDS (patient, "patient_words", NULL);
  WORDS (compounds, "patient_compounds", NULL);
  WORDS (person, "person_words", NULL);
  WORDS (honorifics, "honorifics", NULL);
  WORDS (determiners, "determiners", NULL);
  WORDS (particles, "name_particles", NULL);
  WORDS (given, "given_names", NULL);
  WORDS (birth, "birth_words", NULL);
  WORDS (birth_after, "birth_words_after", NULL);
  WORDS (clinical, "clinical_words", NULL);
  WORDS (lecture, "lecture_words", NULL);
  WORDS (anniversary, "anniversary_words", NULL);
  WORDS (blockers, "age_blockers", NULL);
  WORDS (time_units, "time_units", NULL);
  WORDS (record, "record_words", NULL);
  WORDS (id_prefixes, "id_prefixes", NULL);
  WORDS (phone_words, "phone_words", NULL);
  WORDS (bsn_words, "bsn_words", NULL);
  WORDS (ssn_words, "ssn_words", NULL);
  WORDS (room, "room_words", NULL);
  WORDS (room_strict, "room_words_strict", NULL);
  WORDS (room_hall, "room_words_hall", NULL);
  WORDS (suffixes, "street_suffixes", NULL);
  WORDS (street_excl, "street_suffix_exclusions", NULL);
  WORDS (street_en, "street_words_after", "en");
  WORDS (street_de, "street_words_after", "de");
  WORDS (street_fr, "street_words_before", NULL);
  WORDS (links, "street_name_links", NULL);
  WORDS (postcode_words, "postcode_words", NULL);
  WORDS (nl_letters, "nl_postcode_excluded_letters", NULL);
  WORDS (cities, "cities", NULL);
  WORDS (states, "us_states", NULL);
  WORDS (roles, "email_role_names", NULL);
  WORDS (months, "months", NULL);
  WORDS (rare, "rare_conditions", NULL);

  /* The sets are built before the alternations sort the lists. */
  self->given_names = build_set (given, FALSE);
  self->determiners = build_set (determiners, FALSE);
  self->street_exclusions = build_set (street_excl, TRUE);
  self->nl_excluded_letters = build_set (nl_letters, FALSE);
  self->email_roles = build_set (roles, TRUE);
  self->cities = build_set (cities, FALSE);
  self->strict_room_words = build_set (room_strict, TRUE);
  self->hall_room_words = build_set (room_hall, TRUE);
  self->ambiguous_states = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (ambiguous_states); i++)
    g_hash_table_add (self->ambiguous_states, (gpointer) ambiguous_states[i]);
  self->titles = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_hash_table_add (self->titles, (gpointer) titles[i]);

  {
    ALT (patient_alt, patient);
    ALT (compound_alt, compounds);
    ALT (person_alt, person);
    ALT (honorific_alt, honorifics);
    ALT (particle_alt, particles);
    ALT (birth_alt, birth);
    ALT (birth_after_alt, birth_after);
    ALT (clinical_alt, clinical);
    ALT (lecture_alt, lecture);
    ALT (anniversary_alt, anniversary);
    ALT (blocker_alt, blockers);
    ALT (unit_alt, time_units);
    ALT (record_alt, record);
    ALT (id_alt, id_prefixes);
    ALT (phone_alt, phone_words);
    ALT (bsn_alt, bsn_words);
    ALT (ssn_alt, ssn_words);
    ALT (room_alt, room);
    ALT (suffix_alt, suffixes);
    ALT (street_en_alt, street_en);
    ALT (street_de_alt, street_de);
    ALT (street_fr_alt, street_fr);
    ALT (link_alt, links);
    ALT (postcode_alt, postcode_words);
    ALT (state_alt, states);
    ALT (month_alt, months);
    ALT (rare_alt, rare);
    g_autofree char *full_name =
      g_strconcat ("(?:" INITIALS ")?(?:(?i:", particle_alt, ")" SP "){0,2}"
                   NAME_WORD "(?:[ \\t]+" NAME_WORD ")?", NULL);
    g_autofree char *months_i = g_strconcat ("(?i:", month_alt, ")\\.?", NULL);

    /* Context. */
    /* "patient" but not "patient safety", "patient-centred". */
    g_autofree char *not_compound =
      g_strconcat ("(?![\\-‐]|" SP "(?i:", compound_alt, ")" WB_R ")", NULL);

    COMPILE (RE_PATIENT, WB_L "(?i:", patient_alt, ")" WB_R, not_compound);
    COMPILE (RE_PERSON, WB_L "(?i:", person_alt, ")" WB_R);
    COMPILE (RE_CLINICAL, WB_L "(?i:", clinical_alt, ")" WB_R, not_compound);
    COMPILE (RE_LECTURE, WB_L "(?i:", lecture_alt, ")" WB_R);
    COMPILE (RE_ANNIVERSARY, WB_L "(?i:", anniversary_alt, ")" WB_R);
    /* "Mrs. Jansen", "Herr Müller", "Mme Dubois"; not the "M." of "J. M. Smith". */
    COMPILE (RE_HONORIFIC_NAME,
             "(?<![\\p{L}\\p{N}_.])(?<!\\p{Lu}\\.[ ])(", honorific_alt, ")" SP
             "(", full_name, ")" WB_R);
    /* "patiënt J. de Vries", "my patient John Smith", "Patientin Frau Schmidt". */
    COMPILE (RE_PATIENT_NAME,
             WB_L "(?i:", patient_alt, ")(?:" SP0 "[:,]" SP0 "|" SP ")"
             "(?:(?i:named|called|genaamd|genannt|nommée?|appelée?)" SP ")?"
             "(?:(", honorific_alt, ")" SP ")?"
             "(", full_name, ")" WB_R);
    /* ", 67", " (54)", ", 72 ans" right after a name. */
    COMPILE (RE_AGE_AFTER_NAME,
             "(" SP0 "[,(]" SP0 "|" SP ")"
             "(?:(?i:aged?|âgée?" SP "de|van|de)" SP ")?"
             "(\\d{1,3})"
             "(?:" SP0 "-?" SP0 "((?i:years?(?:[ \\t-]old)?|yrs?|y/o|yo|y|jaar|jr|j|jahre(?:" SP "alt)?|ans|a)\\.?))?"
             /* then the sentence goes on: "Mrs. Jansen, 67, came", not
              * "Mr President, 12 years is" */
             "(?![\\p{L}\\p{N}_]|[.,]\\p{N})" SP0 "(?:[,;:.)]|\\z|\\n)");
    COMPILE (RE_BIRTH_TAIL,
             WB_L "(?i:", birth_alt, ")" SP0 "[:,(]?" SP0
             "(?:(?i:on|op|am|le|the|den|du)" SP "){0,2}\\z");
    COMPILE (RE_BIRTH_HEAD, SP0 ",?" SP0 "(?i:", birth_after_alt, ")" WB_R);
    COMPILE (RE_BLOCKER_TAIL, WB_L "(?i:", blocker_alt, ")" SP "\\z");
    COMPILE (RE_ID_PREFIX_TAIL, WB_L, id_alt, "[ \\t:#-]*(?:(?i:no|nr)\\.?" SP0 ")?\\z");
    COMPILE (RE_PHONE_WORD_TAIL,
             WB_L "(?i:", phone_alt, ")(?:[ \\t:.#]+\\p{L}{1,10}){0,2}[ \\t:.#]*\\z");
    COMPILE (RE_POSTCODE_WORD_TAIL, WB_L "(?i:", postcode_alt, ")[ \\t:#]*\\z");
    COMPILE (RE_NAME_COMMA_TAIL, "\\p{Lu}\\p{Ll}+" SP0 "[,(]" SP0 "\\z");
    COMPILE (RE_COMMA_TAIL, "," SP0 "\\z");
    COMPILE (RE_UNIT_HEAD,
             SP0 "(?:%|‰|°|€|\\$|£|:\\d|(?i:", unit_alt,
             "|uur|uhr|h|mg|kg|g|cm|mm|ml|km|euro|eur|dollars?|keer|mal|fois|times|points|punten|punkte|places|plätze|plaatsen|x)(?![\\p{L}]))");
    COMPILE (RE_RANGE_HEAD,
             SP0 "(?:\\+|[-–]" SP0 "\\d|(?i:to|tot|bis|à)" SP "\\d"
             "|(?i:and|or|en|of|und|oder|et|ou)" SP
             "(?i:over|older|above|more|up|ouder|meer|älter|mehr|darüber|plus))");
    COMPILE (RE_PLACE_HEAD, SP "\\p{Lu}\\p{Ll}");
    COMPILE (RE_LOWER_WORD_HEAD, SP "\\p{Ll}");

    /* Dates. */
    COMPILE (RE_DATE_NUMERIC,
             "(?<![\\p{L}\\p{N}_./\\-])(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})" NUM_R);
    COMPILE (RE_DATE_ISO,
             "(?<![\\p{L}\\p{N}_./\\-])((?:18|19|20)\\d{2})([./-])(\\d{1,2})\\2(\\d{1,2})" NUM_R);
    COMPILE (RE_DATE_DMY,
             WB_L "(\\d{1,2})(?i:st|nd|rd|th|er|e)?\\.?" SP "(?i:of" SP ")?", months_i,
             ",?" SP "(\\d{4})" WB_R);
    COMPILE (RE_DATE_MDY,
             WB_L, months_i, SP "(\\d{1,2})(?i:st|nd|rd|th)?,?" SP "(\\d{4})" WB_R);
    COMPILE (RE_DATE_PARTIAL,
             WB_L "(?:(\\d{1,2})(?i:st|nd|rd|th|er|e)?\\.?" SP "(?i:of" SP ")?", months_i,
             "|", months_i, SP "(\\d{1,2}|\\d{4})(?i:st|nd|rd|th)?)" WB_R);

    /* Ages. */
    COMPILE (RE_AGE_STRONG,
             "(?<![\\p{L}\\p{N}_.,])(?|"
             "(\\d{2,3})[ \\t-]?(?i:years?|yrs?)[ \\t-]?(?i:old)"
             "|(\\d{2,3})[ \\t]?(?i:yo|y/o|y\\.o\\.)"
             "|(\\d{2,3})[ \\t-]?(?i:jaar)" SP "(?i:oud)"
             "|(\\d{2,3})[ \\t-]?(?i:jarige|jarig)"
             "|(\\d{2,3})[ \\t-]?(?i:jahre)" SP "(?i:alt(?:e[rnms]?)?)"
             "|(\\d{2,3})[ \\t-]?(?i:jährige[rnms]?|jährig)"
             "|(?i:aged|âgée?|agée?|im" SP "alter" SP "von|op" SP "(?:de" SP ")?leeftijd" SP "van"
             "|leeftijd|age|âge|alter)" SP0 ":?" SP0 "(?i:de" SP ")?(\\d{2,3})"
             "(?:" SP0 "(?i:years|yrs|jaar|jahren|ans))?"
             ")" WB_R);
    /* "Patientin (94)", "Pt 92M" */
    COMPILE (RE_AGE_BRACKET,
             "(?|\\((\\d{2,3})(?:" SP0 "[,;/]?" SP0 "(?:[MFWVmfwv]|(?i:ans|jaar|jr|j|jahre|years|yrs|y)\\.?))?\\)"
             "|(?<![\\p{L}\\p{N}_.,])(\\d{2,3})[ \\t]?[MFWV]" WB_R ")");
    COMPILE (RE_AGE_WEAK,
             "(?<![\\p{L}\\p{N}_.,])(\\d{2,3})[ \\t]?(?:(?i:jaar|jr\\.?|jahre|ans|years|yrs)|J\\.)" WB_R);

    /* Numbers. */
    COMPILE (RE_PHONE,
             "(?<![\\p{L}\\p{N}_+/.,\\-])(?:\\+[ \\t]?)?(?:\\(\\d{1,5}\\)|\\d)"
             "(?:[ .\\-/]?(?:\\(\\d{1,5}\\)|\\d)){5,18}"
             "(?![\\p{L}\\p{N}_]|[.,:/\\-]\\p{N}|[ \\t]?%)");
    COMPILE (RE_EMAIL,
             "(?<![\\p{L}\\p{N}_.%+@\\-])([A-Za-z0-9][A-Za-z0-9._%+\\-]*)@"
             "[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}"
             "(?![\\p{L}\\p{N}_\\-@]|\\.[A-Za-z0-9])");
    COMPILE (RE_SSN, NUM_L "(\\d{3})-(\\d{2})-(\\d{4})" NUM_R);
    COMPILE (RE_SSN_WORD,
             WB_L "(?i:", ssn_alt, ")" SP0 "[:#]?" SP0 "(?:(?i:is)" SP ")?"
             "(\\d{3}[ \\-]?\\d{2}[ \\-]?\\d{4})" NUM_R);
    COMPILE (RE_BSN, NUM_L "(\\d{9})" NUM_R);
    COMPILE (RE_BSN_WORD,
             WB_L "(?i:", bsn_alt, ")" SP0 "[:#]?" SP0 "(?:(?i:is|nummer|number|nr\\.?)" SP ")?"
             "(\\d{2,4}(?:[ .]\\d{2,3}){1,3})" NUM_R);
    COMPILE (RE_NHS, NUM_L "(\\d{3}([ \\-]?)\\d{3}\\2\\d{4})" NUM_R);
    COMPILE (RE_RECORD,
             WB_L "(?i:", record_alt, ")(?![\\p{L}_])" SP0
             "(?:(?i:no|nr|n°|num|number|nummer|#)\\.?" SP0 ")?[:#=]?" SP0
             "(?:(?i:is|est|ist|was)" SP ")?"
             "((?:\\p{Lu}{1,3}[\\- ]?)?\\d(?:[\\d./\\-]|[ \\t](?=\\d)){2,20}\\d)" WB_R);

    /* Places. */
    COMPILE (RE_POSTCODE_NL,
             NUM_L "([1-9]\\d{3})[ \\t]?([A-Z]{2})" WB_R);
    COMPILE (RE_POSTCODE_UK,
             WB_L "([A-Z]{1,2}\\d[A-Z\\d]?)[ \\t](\\d[ABD-HJLNP-UW-Z]{2})" WB_R);
    COMPILE (RE_POSTCODE_US,
             WB_L "(", state_alt, ")" SP "(\\d{5}(?:-\\d{4})?)" NUM_R WB_R);
    COMPILE (RE_POSTCODE_EU,
             "(?<![\\p{L}\\p{N}_.,/+\\-])((?:D|F|B|L|A|CH|DE|FR|BE|LU)-[ \\t]?)?"
             "(\\d{4,5})" SP "(\\p{Lu}[\\p{L}'’\\-]+)");
    COMPILE (RE_STREET_COMPOUND,
             WB_L "(\\p{Lu}[\\p{L}'’\\-]*?", suffix_alt, ")" SP
             "(\\d{1,3}(?:[ \\t]?[a-zA-Z](?![\\p{L}\\p{N}]))?(?:[ \\t]?[\\-/][ \\t]?\\d{1,3})?)"
             "(?![\\p{L}\\p{N}_]|[.,:]\\p{N})");
    COMPILE (RE_STREET_EN,
             "(?<![\\p{L}\\p{N}_.,])(\\d{1,4}[A-Za-z]?)" SP
             "((?:\\p{Lu}[\\p{L}'’\\-]+" SP "){1,3}", street_en_alt, ")" WB_R);
    COMPILE (RE_STREET_DE,
             WB_L "(\\p{Lu}[\\p{L}'’\\-]+)" SP, street_de_alt, SP
             "(\\d{1,3}[a-z]?)(?![\\p{L}\\p{N}_]|[.,:]\\p{N})");
    COMPILE (RE_STREET_FR,
             "(?<![\\p{L}\\p{N}_.,])(\\d{1,4}(?:[ \\t]?(?i:bis|ter))?),?" SP
             "(?i:", street_fr_alt, ")" SP
             "(?:(?i:", link_alt, ")" SP0 ")?\\p{Lu}[\\p{L}'’\\-]+"
             "(?:" SP "(?:(?i:", link_alt, ")" SP0 ")?\\p{Lu}[\\p{L}'’\\-]+){0,3}");

    /* Belgian order: "Rue de la Loi 175", "Avenue Louise 54". */
    COMPILE (RE_STREET_FR_AFTER,
             WB_L "(?i:", street_fr_alt, ")" SP
             "(?:(?i:", link_alt, ")" SP0 ")?\\p{Lu}[\\p{L}'’\\-]+"
             "(?:" SP "(?:(?i:", link_alt, ")" SP0 ")?\\p{Lu}[\\p{L}'’\\-]+){0,3}" SP
             "(\\d{1,4}[a-zA-Z]?)(?![\\p{L}\\p{N}_]|[.,:]\\p{N})");
    /* Bank accounts: not reported here, but not phone numbers either. */
    COMPILE (RE_IBAN,
             WB_L "[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?" WB_R);
    COMPILE (RE_ROOM,
             WB_L "(?i:", room_alt, ")" SP0 "(?:(?i:no|nr|n°|#)\\.?" SP0 ")?"
             "(\\d{1,4}[A-Za-z]?)(?![\\p{L}\\p{N}_]|[.,:]\\p{N})");
    COMPILE (RE_RARE, WB_L "(?i:", rare_alt, ")" WB_R);
  }

  return TRUE;
}

#undef WORDS
#undef ALT
#undef COMPILE

/* Run helpers */

static gboolean
is_continuation_byte (char c)
{
  return ((guchar) c & 0xC0) == 0x80;
}

static guint
parse_uint (const char *s,
            gsize       n)
{
  guint value = 0;

  for (gsize i = 0; i < n; i++)
    if (g_ascii_isdigit (s[i]) && value < 100000000)
      value = value * 10 + (guint) (s[i] - '0');
  return value;
}

static guint
count_digits (const char *s,
              gsize       n)
{
  guint count = 0;

  for (gsize i = 0; i < n; i++)
    if (g_ascii_isdigit (s[i]))
      count++;
  return count;
}

static gboolean
is_year (guint value)
{
  return value >= 1900 && value <= 2099;
}

/* Digits of @number, which may be grouped by spaces, dots or hyphens;
 * FALSE if it holds anything else or not exactly @n_digits digits. */
static gboolean
extract_digits (const char *number,
                guint      *digits,
                guint       n_digits)
{
  guint n = 0;

  if (number == NULL)
    return FALSE;

  for (const char *p = number; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n == n_digits)
            return FALSE;
          digits[n++] = (guint) (*p - '0');
        }
      else if (*p != ' ' && *p != '.' && *p != '-')
        return FALSE;
    }

  return n == n_digits;
}

static gboolean
paragraph_break_between (const char *text,
                         gsize       a,
                         gsize       b)
{
  for (gsize i = a; i < b; i++)
    {
      if (text[i] != '\n')
        continue;
      for (gsize j = i + 1; j < b; j++)
        {
          if (text[j] == '\n')
            return TRUE;
          if (text[j] != ' ' && text[j] != '\t' && text[j] != '\r')
            break;
        }
    }
  return FALSE;
}

/* The first span of @spans that ends after @pos.  Span arrays are kept
 * sorted and disjoint (see add_span()), so their ends rise too. */
static guint
first_ending_after (GArray *spans,
                    gsize   pos)
{
  guint lo = 0, hi = spans->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (spans, WcSpan, mid).end > pos)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Adds [start, end) to @spans, merging it with the spans it overlaps, so
 * that lookups stay logarithmic however many candidates a text holds. */
static void
add_span (GArray *spans,
          gsize   start,
          gsize   end)
{
  guint i = first_ending_after (spans, start);
  guint j = i;
  WcSpan merged = { start, end };

  while (j < spans->len && g_array_index (spans, WcSpan, j).start < end)
    {
      const WcSpan *span = &g_array_index (spans, WcSpan, j);

      merged.start = MIN (merged.start, span->start);
      merged.end = MAX (merged.end, span->end);
      j++;
    }

  if (j > i)
    g_array_remove_range (spans, i, j - i);
  g_array_insert_val (spans, i, merged);
}

static gboolean
overlaps_any (GArray *spans,
              gsize   start,
              gsize   end)
{
  guint i = first_ending_after (spans, start);

  return i < spans->len && g_array_index (spans, WcSpan, i).start < end;
}

/* Whether a span of @spans lies within @before bytes before [start, end)
 * or @after bytes after it, in the same paragraph. */
static gboolean
near (const Run *run,
      GArray    *spans,
      gsize      start,
      gsize      end,
      gsize      before,
      gsize      after)
{
  for (guint i = first_ending_after (spans, start > before ? start - before - 1 : 0);
       i < spans->len; i++)
    {
      const WcSpan *span = &g_array_index (spans, WcSpan, i);

      if (span->end <= start)
        {
          if (start - span->end <= before
              && !paragraph_break_between (run->text, span->end, start))
            return TRUE;
        }
      else if (span->start >= end)
        {
          if (span->start - end > after)
            break;
          if (!paragraph_break_between (run->text, end, span->start))
            return TRUE;
        }
      else
        return TRUE;
    }
  return FALSE;
}

/* GRegex checks that the whole subject is UTF-8 on every fresh match, so
 * the context checks around a candidate hand it only a window of the text:
 * otherwise each check would cost as much as the length of the draft. */
#define HEAD_WINDOW 96

/* Whether @re, which ends in \z, matches text that ends at @pos. */
static gboolean
match_tail (GRegex     *re,
            const char *text,
            gsize       pos,
            gsize       window)
{
  gsize base = pos > window ? pos - window : 0;
  guint guard = 0;

  while (base > 0 && is_continuation_byte (text[base]))
    base--;
  /* Start the window between words, or a word cut in two ("unborn")
   * would look like another ("born"). */
  while (base > 0 && guard++ < 32)
    {
      const char *prev = g_utf8_find_prev_char (text, text + base);

      if (prev == NULL || !g_unichar_isalnum (g_utf8_get_char (prev)))
        break;
      base = (gsize) (prev - text);
    }

  return g_regex_match_full (re, text + base, (gssize) (pos - base), 0, 0, NULL, NULL);
}

static gsize
head_limit (const Run *run,
            gsize      pos)
{
  gsize limit = MIN (run->len, pos + HEAD_WINDOW);

  while (limit < run->len && is_continuation_byte (run->text[limit]))
    limit++;
  return limit;
}

/* Whether @re matches right at @pos. */
static gboolean
match_head (const Run *run,
            GRegex    *re,
            gsize      pos)
{
  return g_regex_match_full (re, run->text + pos, (gssize) (head_limit (run, pos) - pos), 0,
                             G_REGEX_MATCH_ANCHORED, NULL, NULL);
}

static gboolean
group_pos (GMatchInfo *info,
           int         group,
           gsize      *start,
           gsize      *end)
{
  int s = -1, e = -1;

  if (!g_match_info_fetch_pos (info, group, &s, &e) || s < 0 || e <= s)
    return FALSE;
  *start = (gsize) s;
  *end = (gsize) e;
  return TRUE;
}

static void
emit (Run        *run,
      const char *check_id,
      gsize       start,
      gsize       end,
      gboolean    escalate)
{
  WcHit hit = { check_id, { start, end }, escalate };

  g_array_append_val (run->hits, hit);
}

/* Calls @func for every match of @re in the text. */
typedef void (*MatchFunc) (Run        *run,
                           GMatchInfo *info);

static void
for_each_match (Run       *run,
                GRegex    *re,
                MatchFunc  func)
{
  g_autoptr(GMatchInfo) info = NULL;

  g_regex_match_full (re, run->text, (gssize) run->len, 0, 0, &info, NULL);
  while (g_match_info_matches (info))
    {
      func (run, info);
      g_match_info_next (info, NULL);
    }
}

static void
collect_spans (Run    *run,
               GRegex *re,
               GArray *spans)
{
  g_autoptr(GMatchInfo) info = NULL;

  g_regex_match_full (re, run->text, (gssize) run->len, 0, 0, &info, NULL);
  while (g_match_info_matches (info))
    {
      gsize start, end;

      if (group_pos (info, 0, &start, &end))
        add_span (spans, start, end);
      g_match_info_next (info, NULL);
    }
}

/* The word that ends right before @pos (after skipping blanks). */
static gboolean
previous_word (const Run *run,
               gsize      pos,
               gsize     *start,
               gsize     *end)
{
  const char *text = run->text;
  const char *p = text + pos;

  while (p > text && (p[-1] == ' ' || p[-1] == '\t'))
    p--;
  *end = (gsize) (p - text);

  while (p > text)
    {
      const char *prev = g_utf8_find_prev_char (text, p);

      if (prev == NULL || !g_unichar_isalpha (g_utf8_get_char (prev)))
        break;
      p = prev;
    }
  *start = (gsize) (p - text);
  return *start < *end;
}

static gsize
first_word_end (const Run *run,
                gsize      start,
                gsize      end)
{
  for (gsize i = start; i < end; i++)
    if (run->text[i] == ' ' || run->text[i] == '\t' || run->text[i] == '.')
      return i;
  return end;
}

static gboolean
span_is_valid (const Run  *run,
               gsize       start,
               gsize       end,
               gboolean  (*validate) (const char *))
{
  g_autofree char *number = g_strndup (run->text + start, end - start);

  return validate (number);
}

/* Detectors */

static void
email_cb (Run        *run,
          GMatchInfo *info)
{
  gsize start, end, ls, le;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ls, &le))
    return;
  /* info@, secretariaat@: an organisation, not a person. */
  if (set_contains (run->self->email_roles, run->text + ls, le - ls, TRUE))
    return;

  emit (run, "phi.email", start, end, FALSE);
  add_span (run->claims, start, end);
}

typedef enum
{
  PHONE_NONE,
  PHONE_STRONG,    /* international or with a bracketed area code */
  PHONE_NATIONAL,
} PhoneShape;

static PhoneShape
phone_shape (const char *s,
             gsize       n,
             gboolean    phone_word)
{
  guint groups[24];
  guint n_groups = 0;
  guint digits = 0;
  guint trunk = 0;
  guint slashes = 0;
  guint sep_kinds = 0;
  char sep = 0;
  gboolean plus = FALSE;
  gboolean paren_first = FALSE;
  gsize i = 0;

  if (s[0] == '+')
    {
      plus = TRUE;
      i = 1;
      while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    }

  while (i < n)
    {
      if (s[i] == '(')
        {
          gsize j = i + 1;
          guint len = 0;

          while (j < n && g_ascii_isdigit (s[j]))
            j++, len++;
          if (n_groups == G_N_ELEMENTS (groups))
            return PHONE_NONE;
          if (plus && len == 1 && s[i + 1] == '0')
            trunk++;   /* "+44 (0)20": the 0 is not dialled from abroad */
          else
            {
              if (n_groups == 0)
                paren_first = TRUE;
              groups[n_groups++] = len;
              digits += len;
            }
          i = j + 1;
        }
      else if (g_ascii_isdigit (s[i]))
        {
          guint len = 0;

          while (i < n && g_ascii_isdigit (s[i]))
            i++, len++;
          if (n_groups == G_N_ELEMENTS (groups))
            return PHONE_NONE;
          groups[n_groups++] = len;
          digits += len;
        }
      else
        {
          if (s[i] == '/')
            slashes++;
          if (s[i] != ' ' && s[i] != '\t')
            {
              if (sep == 0)
                sep = s[i];
              else if (sep != s[i])
                sep_kinds |= 2;
            }
          else
            sep_kinds |= 1;
          i++;
        }
    }

  if (n_groups == 0)
    return PHONE_NONE;

  if (plus)
    return digits >= 8 && digits <= 15 ? PHONE_STRONG : PHONE_NONE;

  if (paren_first)
    {
      /* "(555) 123-4567", "(020) 123 4567" */
      if (groups[0] == 3 && digits == 10 && s[1] != '0')
        return PHONE_STRONG;
      if (s[1] == '0' && digits >= 9 && digits <= 11)
        return PHONE_STRONG;
      return PHONE_NONE;
    }

  if (s[0] == '0' && s[1] == '0' && n > 2 && s[2] >= '1' && s[2] <= '9')
    return digits >= 10 && digits <= 17 ? PHONE_STRONG : PHONE_NONE;

  if (s[0] == '0' && n > 1 && s[1] >= '1' && s[1] <= '9')
    {
      /* NL, BE, DE, FR, UK: a trunk 0 and 9 to 11 digits, in groups of at
       * least two ("0-306-40615-2" is an ISBN, "0.12 0.34" are figures). */
      if (digits < 9 || digits > 11 || slashes > 1 || (sep_kinds & 2))
        return PHONE_NONE;
      for (guint g = 0; g < n_groups; g++)
        if (groups[g] < 2)
          return PHONE_NONE;
      if (sep == '.' && n_groups > 1 && groups[0] == 2 && n_groups == 2)
        return PHONE_NONE;
      return PHONE_NATIONAL;
    }

  /* US without brackets: "555-123-4567", "1-800-555-1234". */
  if ((sep_kinds & 2) == 0)
    {
      gboolean sep_ok = (sep == '-' || sep == '.') && (sep_kinds & 1) == 0;
      gboolean spaced = sep == 0 && (sep_kinds & 1) && phone_word;

      if (n_groups == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4 && (sep_ok || spaced))
        return PHONE_NATIONAL;
      if (n_groups == 4 && groups[0] == 1 && s[0] == '1' && groups[1] == 3 && groups[2] == 3
          && groups[3] == 4 && sep_ok)
        return PHONE_NATIONAL;
    }

  return PHONE_NONE;
}

static void
phone_cb (Run        *run,
          GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end;
  gboolean phone_word;
  PhoneShape shape;

  if (!group_pos (info, 0, &start, &end))
    return;

  /* ISBN 0-306-40615-2, PMID 12345678, NCT01234567 … */
  if (match_tail (self->re[RE_ID_PREFIX_TAIL], run->text, start, 20))
    return;

  phone_word = match_tail (self->re[RE_PHONE_WORD_TAIL], run->text, start, 32);
  shape = phone_shape (run->text + start, end - start, phone_word);

  if (shape == PHONE_STRONG)
    {
      if (overlaps_any (run->claims, start, end))
        return;
      emit (run, "phi.phone", start, end, FALSE);
      add_span (run->claims, start, end);
    }
  else if (shape == PHONE_NATIONAL)
    add_span (run->pending_phones, start, end);
}

static void
emit_ssn (Run   *run,
          gsize  start,
          gsize  end)
{
  if (overlaps_any (run->claims, start, end))
    return;
  if (!span_is_valid (run, start, end, wc_phi_ssn_is_valid))
    return;

  emit (run, "phi.ssn", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
ssn_cb (Run        *run,
        GMatchInfo *info)
{
  gsize start, end;

  if (group_pos (info, 0, &start, &end))
    emit_ssn (run, start, end);
}

static void
ssn_word_cb (Run        *run,
             GMatchInfo *info)
{
  gsize start, end;

  if (group_pos (info, 1, &start, &end))
    emit_ssn (run, start, end);
}

static void
bsn_cb (Run        *run,
        GMatchInfo *info)
{
  gsize start, end;

  if (!group_pos (info, 1, &start, &end))
    return;
  if (overlaps_any (run->claims, start, end))
    return;
  if (!span_is_valid (run, start, end, wc_phi_bsn_is_valid))
    return;

  emit (run, "phi.bsn", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
nhs_cb (Run        *run,
        GMatchInfo *info)
{
  gsize start, end;

  if (!group_pos (info, 1, &start, &end))
    return;
  /* NHS numbers never start with 0; Dutch and French phone numbers do. */
  if (run->text[start] == '0')
    return;
  if (overlaps_any (run->claims, start, end))
    return;
  if (!span_is_valid (run, start, end, wc_phi_nhs_number_is_valid))
    return;

  emit (run, "phi.nhs-number", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
record_cb (Run        *run,
           GMatchInfo *info)
{
  gsize start, end;
  guint digits;

  if (!group_pos (info, 1, &start, &end))
    return;

  digits = count_digits (run->text + start, end - start);
  if (digits < 4)
    return;
  /* "the 2024 dossier", "le dossier 2025" */
  if (digits == 4 && end - start == 4 && is_year (parse_uint (run->text + start, 4)))
    return;

  emit (run, "phi.record-number", start, end, FALSE);
  add_span (run->claims, start, end);
}

/* Dates */

static gboolean
valid_day_month (guint a,
                 guint b)
{
  /* Day-month (Europe) or month-day (US). */
  return (a >= 1 && a <= 31 && b >= 1 && b <= 12)
      || (a >= 1 && a <= 12 && b >= 1 && b <= 31);
}

static void
consider_full_date (Run   *run,
                    gsize  start,
                    gsize  end)
{
  WcPhiDetector *self = run->self;
  gboolean lecture;

  if (overlaps_any (run->claims, start, end))
    return;
  add_span (run->claims, start, end);

  lecture = near (run, run->lecture, start, end, NEAR_LECTURE, NEAR_LECTURE);
  if (!lecture)
    run->has_date = TRUE;

  if (match_tail (self->re[RE_BIRTH_TAIL], run->text, start, TAIL_WINDOW)
      || match_head (run, self->re[RE_BIRTH_HEAD], end))
    {
      emit (run, "phi.date-of-birth", start, end, FALSE);
      return;
    }

  if (lecture)
    return;

  if (near (run, run->patient, start, end, NEAR_CONTEXT, NEAR_CONTEXT)
      || near (run, run->patient_names, start, end, NEAR_CONTEXT, NEAR_CONTEXT)
      || near (run, run->ages, start, end, NEAR_CONTEXT, NEAR_CONTEXT)
      || near (run, run->clinical, start, end, NEAR_CONTEXT, NEAR_CONTEXT))
    emit (run, "phi.full-date", start, end, FALSE);
}

static void
date_numeric_cb (Run        *run,
                 GMatchInfo *info)
{
  gsize s0, e0, s1, e1, s3, e3, s4, e4;
  guint year;

  if (!group_pos (info, 0, &s0, &e0) || !group_pos (info, 1, &s1, &e1)
      || !group_pos (info, 3, &s3, &e3) || !group_pos (info, 4, &s4, &e4))
    return;

  if (!valid_day_month (parse_uint (run->text + s1, e1 - s1), parse_uint (run->text + s3, e3 - s3)))
    return;
  year = parse_uint (run->text + s4, e4 - s4);
  if (e4 - s4 == 4 && (year < 1850 || year > 2100))
    return;

  consider_full_date (run, s0, e0);
}

static void
date_iso_cb (Run        *run,
             GMatchInfo *info)
{
  gsize s0, e0, s3, e3, s4, e4;
  guint month, day;

  if (!group_pos (info, 0, &s0, &e0) || !group_pos (info, 3, &s3, &e3)
      || !group_pos (info, 4, &s4, &e4))
    return;

  month = parse_uint (run->text + s3, e3 - s3);
  day = parse_uint (run->text + s4, e4 - s4);
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return;

  consider_full_date (run, s0, e0);
}

static void
date_text_cb (Run        *run,
              GMatchInfo *info)
{
  gsize s0, e0, sd, ed, sy, ey;
  guint day, year;

  if (!group_pos (info, 0, &s0, &e0) || !group_pos (info, 1, &sd, &ed)
      || !group_pos (info, 2, &sy, &ey))
    return;

  day = parse_uint (run->text + sd, ed - sd);
  year = parse_uint (run->text + sy, ey - sy);
  if (day < 1 || day > 31 || year < 1850 || year > 2100)
    return;

  consider_full_date (run, s0, e0);
}

static void
date_partial_cb (Run        *run,
                 GMatchInfo *info)
{
  gsize start, end;

  if (run->has_date || !group_pos (info, 0, &start, &end))
    return;
  if (near (run, run->lecture, start, end, NEAR_LECTURE, NEAR_LECTURE))
    return;
  run->has_date = TRUE;
}

/* Ages */

static gboolean
age_is_blocked (Run   *run,
                gsize  start,
                gsize  end)
{
  WcPhiDetector *self = run->self;

  /* "for 95 years", "depuis 100 ans", "über 90 Jahre" */
  if (match_tail (self->re[RE_BLOCKER_TAIL], run->text, start, 24))
    return TRUE;
  /* "aged 90 and over", "90+" */
  if (match_head (run, self->re[RE_RANGE_HEAD], end))
    return TRUE;
  /* "the hospital is 100 years old", "100 jaar KNMG" — unless a person is
   * meant after all. */
  if (near (run, run->anniversary, start, end, 50, 30)
      && !near (run, run->patient, start, end, 50, 30)
      && !near (run, run->person, start, end, 50, 30)
      && !near (run, run->named, start, end, 50, 30))
    return TRUE;
  return FALSE;
}

static void
age_context_cb (Run        *run,
                GMatchInfo *info)
{
  gsize start, end;

  if (group_pos (info, 0, &start, &end))
    add_span (run->ages, start, end);
}

static void
age_strong_cb (Run        *run,
               GMatchInfo *info)
{
  gsize start, end, ns, ne;
  guint age;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;

  age = parse_uint (run->text + ns, ne - ns);
  if (age < 90 || age > 125)
    return;
  if (age_is_blocked (run, start, end))
    return;

  emit (run, "phi.age-over-89", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
age_weak_cb (Run        *run,
             GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end, ns, ne;
  guint age;
  gboolean person;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;

  age = parse_uint (run->text + ns, ne - ns);
  if (age < 90 || age > 125)
    return;
  if (overlaps_any (run->claims, start, end))
    return;

  /* "93 jaar" alone is a duration as often as an age; it is an age after
   * a name ("Dubois, 93 ans") or near a patient or a person. */
  person = match_tail (self->re[RE_NAME_COMMA_TAIL], run->text, start, 40)
    || near (run, run->patient, start, end, NEAR_AGE_CONTEXT, 0)
    || near (run, run->person, start, end, NEAR_AGE_CONTEXT, 0)
    || near (run, run->named, start, end, NEAR_AGE_CONTEXT, 0)
    || near (run, run->clinical, start, end, NEAR_AGE_CONTEXT, 0);
  if (!person)
    return;
  if (age_is_blocked (run, start, end))
    return;

  emit (run, "phi.age-over-89", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
age_bracket_cb (Run        *run,
                GMatchInfo *info)
{
  gsize start, end, ns, ne;
  guint age;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;

  age = parse_uint (run->text + ns, ne - ns);
  if (age < 90 || age > 125)
    return;
  if (overlaps_any (run->claims, start, end))
    return;

  /* Right after a patient, a person or a named patient: "Patientin (94)",
   * "Pt 92M", "Mevrouw De Vries (93)" — but not after a place:
   * "Montreuil (93)" is in Seine-Saint-Denis. */
  if (!near (run, run->patient, start, end, 30, 0)
      && !near (run, run->person, start, end, 12, 0)
      && !near (run, run->named, start, end, 12, 0))
    return;

  emit (run, "phi.age-over-89", start, end, FALSE);
  add_span (run->claims, start, end);
}

/* Places */

/* Whether an address ends right before @start, with at most a comma and
 * blanks between: "Kerkstraat 12, 1234 AB". */
static gboolean
after_address (Run   *run,
               gsize  start)
{
  guint i = first_ending_after (run->addresses, start);
  const WcSpan *span;

  if (i == 0)
    return FALSE;
  span = &g_array_index (run->addresses, WcSpan, i - 1);
  if (start - span->end > 8)
    return FALSE;

  for (gsize j = span->end; j < start; j++)
    if (run->text[j] != ' ' && run->text[j] != ',' && run->text[j] != '\t' && run->text[j] != '\n')
      return FALSE;
  return TRUE;
}

/* "Kerkstraat 12 uur", "bed 4 days", "Mrs Jansen, 67 mg": a measure, not
 * a house, bed or age. */
static gboolean
followed_by_unit (Run   *run,
                  gsize  pos)
{
  return match_head (run, run->self->re[RE_UNIT_HEAD], pos);
}

static void
emit_address (Run   *run,
              gsize  start,
              gsize  end)
{
  if (overlaps_any (run->claims, start, end))
    return;
  emit (run, "phi.address", start, end, FALSE);
  add_span (run->claims, start, end);
  add_span (run->addresses, start, end);
}

static void
street_compound_cb (Run        *run,
                    GMatchInfo *info)
{
  gsize start, end, ws, we, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ws, &we)
      || !group_pos (info, 2, &ns, &ne))
    return;
  if (set_contains (run->self->street_exclusions, run->text + ws, we - ws, TRUE))
    return;
  if (followed_by_unit (run, ne))
    return;

  emit_address (run, start, end);
}

static void
street_en_cb (Run        *run,
              GMatchInfo *info)
{
  gsize start, end, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;
  /* "in 2024 Oxford Road …" */
  if (ne - ns == 4 && is_year (parse_uint (run->text + ns, 4)))
    return;

  emit_address (run, start, end);
}

static void
street_de_cb (Run        *run,
              GMatchInfo *info)
{
  gsize start, end, ws, we, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ws, &we)
      || !group_pos (info, 2, &ns, &ne))
    return;
  /* "Der Weg 3 …", "Auf Platz 1" */
  if (set_contains (run->self->determiners, run->text + ws, we - ws, FALSE)
      || set_contains (run->self->street_exclusions, run->text + ws, we - ws, TRUE))
    return;
  if (followed_by_unit (run, ne))
    return;

  emit_address (run, start, end);
}

static void
street_fr_cb (Run        *run,
              GMatchInfo *info)
{
  gsize start, end, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;
  if (ne - ns == 4 && is_year (parse_uint (run->text + ns, 4)))
    return;

  emit_address (run, start, end);
}

static void
street_fr_after_cb (Run        *run,
                    GMatchInfo *info)
{
  gsize start, end, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;
  if (ne - ns == 4 && is_year (parse_uint (run->text + ns, 4)))
    return;
  if (followed_by_unit (run, ne))
    return;

  emit_address (run, start, end);
}

static void
iban_cb (Run        *run,
         GMatchInfo *info)
{
  gsize start, end;

  if (group_pos (info, 0, &start, &end))
    add_span (run->claims, start, end);
}

static void
emit_postcode (Run   *run,
               gsize  start,
               gsize  end)
{
  if (overlaps_any (run->claims, start, end))
    return;
  emit (run, "phi.postcode", start, end, FALSE);
  add_span (run->claims, start, end);
}

static void
postcode_nl_cb (Run        *run,
                GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end, ds, de, ls, le;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ds, &de)
      || !group_pos (info, 2, &ls, &le))
    return;
  /* "5000 IE vitamine D", "1000 IU" */
  if (set_contains (self->nl_excluded_letters, run->text + ls, le - ls, FALSE))
    return;
  /* "2024 ZH" needs an address or a place with it to be a postcode. */
  if (is_year (parse_uint (run->text + ds, de - ds))
      && !after_address (run, start)
      && !match_head (run, self->re[RE_PLACE_HEAD], end)
      && !match_tail (self->re[RE_POSTCODE_WORD_TAIL], run->text, start, 24))
    return;

  emit_postcode (run, start, end);
}

static void
postcode_uk_cb (Run        *run,
                GMatchInfo *info)
{
  gsize start, end;

  if (group_pos (info, 0, &start, &end))
    emit_postcode (run, start, end);
}

static void
postcode_us_cb (Run        *run,
                GMatchInfo *info)
{
  gsize start, end, ss, se;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ss, &se))
    return;
  /* "patient ID 12345", "OR 12345": only after "City, " */
  if (set_contains (run->self->ambiguous_states, run->text + ss, se - ss, FALSE)
      && !match_tail (run->self->re[RE_COMMA_TAIL], run->text, start, 8))
    return;

  emit_postcode (run, start, end);
}

static void
postcode_eu_cb (Run        *run,
                GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end, ds, de, ws, we, ps, pe;
  gboolean prefix = group_pos (info, 1, &ps, &pe);
  gboolean ok;
  guint value;

  if (!group_pos (info, 2, &ds, &de) || !group_pos (info, 3, &ws, &we))
    return;
  start = prefix ? ps : ds;
  end = de;
  value = parse_uint (run->text + ds, de - ds);

  /* A bare four- or five-digit number is not a postcode ("2019 Paris",
   * "10000 Schritte"): only after an address, after a postcode word,
   * with a country prefix ("D-10115"), or before a known city. */
  ok = prefix
    || after_address (run, start)
    || match_tail (self->re[RE_POSTCODE_WORD_TAIL], run->text, start, 24)
    || (set_contains (self->cities, run->text + ws, we - ws, FALSE)
        && (de - ds == 5 || !is_year (value)));
  if (!ok)
    return;

  emit_postcode (run, start, end);
}

/* Names */

static gboolean
is_title (Run   *run,
          gsize  start,
          gsize  end)
{
  gsize we = first_word_end (run, start, end);

  return set_contains (run->self->titles, run->text + start, we - start, FALSE);
}

static gboolean
age_after_name (Run   *run,
                gsize  name_end)
{
  WcPhiDetector *self = run->self;
  g_autoptr(GMatchInfo) info = NULL;
  gsize ss, se, ns, ne, us, ue;
  gboolean separated;
  guint age;

  if (!g_regex_match_full (self->re[RE_AGE_AFTER_NAME], run->text + name_end,
                           (gssize) (head_limit (run, name_end) - name_end), 0,
                           G_REGEX_MATCH_ANCHORED, &info, NULL))
    return FALSE;
  if (!group_pos (info, 2, &ns, &ne))
    return FALSE;
  ns += name_end;
  ne += name_end;

  age = parse_uint (run->text + ns, ne - ns);
  if (age > 120)
    return FALSE;
  if (!group_pos (info, 3, &us, &ue) && followed_by_unit (run, ne))
    return FALSE;

  separated = FALSE;
  if (group_pos (info, 1, &ss, &se))
    for (gsize i = ss; i < se; i++)
      if (run->text[name_end + i] == ',' || run->text[name_end + i] == '(')
        separated = TRUE;

  return separated || group_pos (info, 3, &us, &ue);
}

/* German "Frau"/"Herr" after an article mean "woman"/"gentleman":
 * "eine Frau Anfang 50" names nobody. */
static gboolean
honorific_is_noun (Run   *run,
                   gsize  hs,
                   gsize  he)
{
  gsize ws, we;

  if (!previous_word (run, hs, &ws, &we))
    return FALSE;
  return set_contains (run->self->determiners, run->text + ws, we - ws, FALSE);
}

static void
honorific_context_cb (Run        *run,
                      GMatchInfo *info)
{
  gsize start, end, hs, he, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &hs, &he)
      || !group_pos (info, 2, &ns, &ne))
    return;
  if (honorific_is_noun (run, hs, he) || is_title (run, ns, ne))
    return;
  add_span (run->named, start, end);
}

static void
honorific_name_cb (Run        *run,
                   GMatchInfo *info)
{
  gsize start, end, hs, he, ns, ne;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &hs, &he)
      || !group_pos (info, 2, &ns, &ne))
    return;
  if (honorific_is_noun (run, hs, he) || is_title (run, ns, ne))
    return;

  /* "Mrs. Jansen, 67" names a patient wherever it stands; "Mrs. Jansen"
   * alone only in a patient's story, and never in a talk's announcement. */
  if (!age_after_name (run, ne))
    {
      if (!near (run, run->patient, start, end, NEAR_CONTEXT, NEAR_CONTEXT)
          && !near (run, run->clinical, start, end, NEAR_CONTEXT, NEAR_CONTEXT))
        return;
      if (near (run, run->lecture, start, end, NEAR_LECTURE, NEAR_LECTURE))
        return;
    }

  emit (run, "phi.patient-name", start, end, FALSE);
  add_span (run->patient_names, start, end);
}

static void
patient_name_cb (Run        *run,
                 GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end, hs, he, ns, ne;
  gboolean honorific = group_pos (info, 1, &hs, &he);
  gboolean initials;
  gboolean given;

  if (!group_pos (info, 2, &ns, &ne))
    return;
  if (is_title (run, ns, ne))
    return;

  start = honorific ? hs : ns;
  end = ne;

  /* After a patient word, a capitalised word may be a title ("Patient
   * Safety Day") or a German noun; a name shows itself by initials, an
   * honorific, a known given name or an age right after it. */
  initials = ne - ns >= 2 && run->text[ns + 1] == '.'
    && g_unichar_isupper (g_utf8_get_char (run->text + ns));
  given = set_contains (self->given_names, run->text + ns,
                        first_word_end (run, ns, ne) - ns, FALSE);

  if (!honorific && !initials && !given && !age_after_name (run, ne))
    return;

  emit (run, "phi.patient-name", start, end, FALSE);
  add_span (run->patient_names, start, end);
}

static void
room_cb (Run        *run,
         GMatchInfo *info)
{
  WcPhiDetector *self = run->self;
  gsize start, end, ns, ne, ws, we;
  g_autofree char *word = NULL;

  if (!group_pos (info, 0, &start, &end) || !group_pos (info, 1, &ns, &ne))
    return;

  ws = start;
  we = ws;
  while (we < ns && run->text[we] != ' ' && run->text[we] != '\t' && !g_ascii_isdigit (run->text[we]))
    we++;

  /* "bed 4 days", "Zimmer 3 Stunden" */
  if (followed_by_unit (run, ne))
    return;
  /* English "lit 4 candles" */
  if (set_contains (self->strict_room_words, run->text + ws, we - ws, TRUE)
      && match_head (run, self->re[RE_LOWER_WORD_HEAD], ne))
    return;
  /* A room is a patient's only in a patient's story, and never in a
   * talk's announcement ("Session in room 12"); a bed always is. */
  if (set_contains (self->hall_room_words, run->text + ws, we - ws, TRUE))
    {
      if (near (run, run->lecture, start, end, NEAR_LECTURE, NEAR_LECTURE))
        return;
      if (!near (run, run->patient, start, end, NEAR_LECTURE, NEAR_LECTURE)
          && !near (run, run->clinical, start, end, NEAR_LECTURE, NEAR_LECTURE)
          && !near (run, run->named, start, end, NEAR_LECTURE, NEAR_LECTURE)
          && !near (run, run->ages, start, end, NEAR_LECTURE, NEAR_LECTURE))
        return;
    }

  emit (run, "phi.room-bed", start, end, FALSE);
}

static void
rare_cb (Run        *run,
         GMatchInfo *info)
{
  gsize start, end;
  gboolean own_org;

  if (!group_pos (info, 0, &start, &end))
    return;

  own_org = run->has_own_org;

  /* A rare condition identifies in combination: with a date of a patient's
   * story, not with a congress date or an awareness day. */
  if (!run->has_date || (!run->has_story && !own_org))
    return;

  emit (run, "phi.rare-condition", start, end, own_org);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const WcHit *ha = a;
  const WcHit *hb = b;
  int c;

  if (ha->span.start != hb->span.start)
    return ha->span.start < hb->span.start ? -1 : 1;
  if (ha->span.end != hb->span.end)
    return ha->span.end < hb->span.end ? -1 : 1;
  c = strcmp (ha->check_id, hb->check_id);
  return c;
}

/* Sorts the hits of this run and merges overlapping hits of one check. */
static void
tidy_hits (Run *run)
{
  GArray *hits = run->hits;
  guint n = hits->len - run->first_hit;
  guint out = run->first_hit;
  /* The last kept hit of each check: hits come sorted by start, so a hit
   * can only overlap the last kept one of its own check. */
  struct { const char *check_id; guint index; } last[32];
  guint n_last = 0;

  if (n == 0)
    return;

  qsort (&g_array_index (hits, WcHit, run->first_hit), n, sizeof (WcHit), compare_hits);

  for (guint i = run->first_hit; i < hits->len; i++)
    {
      WcHit hit = g_array_index (hits, WcHit, i);
      guint k;

      for (k = 0; k < n_last; k++)
        if (last[k].check_id == hit.check_id)
          break;

      if (k < n_last)
        {
          WcHit *kept = &g_array_index (hits, WcHit, last[k].index);

          if (hit.span.start < kept->span.end)
            {
              kept->span.end = MAX (kept->span.end, hit.span.end);
              kept->escalate |= hit.escalate;
              continue;
            }
        }
      else if (n_last < G_N_ELEMENTS (last))
        {
          last[n_last].check_id = hit.check_id;
          k = n_last++;
        }

      g_array_index (hits, WcHit, out) = hit;
      if (k < n_last)
        last[k].index = out;
      out++;
    }

  g_array_set_size (hits, out);
}

static void
wc_phi_detector_finalize (GObject *object)
{
  WcPhiDetector *self = (WcPhiDetector *) object;

  for (guint i = 0; i < N_RES; i++)
    g_clear_pointer (&self->re[i], g_regex_unref);
  g_clear_pointer (&self->own_org_re, g_regex_unref);
  g_clear_pointer (&self->own_orgs_key, g_free);
  g_clear_pointer (&self->street_exclusions, g_hash_table_unref);
  g_clear_pointer (&self->given_names, g_hash_table_unref);
  g_clear_pointer (&self->determiners, g_hash_table_unref);
  g_clear_pointer (&self->nl_excluded_letters, g_hash_table_unref);
  g_clear_pointer (&self->email_roles, g_hash_table_unref);
  g_clear_pointer (&self->cities, g_hash_table_unref);
  g_clear_pointer (&self->strict_room_words, g_hash_table_unref);
  g_clear_pointer (&self->hall_room_words, g_hash_table_unref);
  g_clear_pointer (&self->ambiguous_states, g_hash_table_unref);
  g_clear_pointer (&self->titles, g_hash_table_unref);

  G_OBJECT_CLASS (wc_phi_detector_parent_class)->finalize (object);
}

static void
wc_phi_detector_class_init (WcPhiDetectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wc_phi_detector_finalize;
}

static void
wc_phi_detector_init (WcPhiDetector *self)
{
}

/**
 * wc_phi_detector_new_from_bytes:
 * @vocabulary: the JSON text of a vocabulary (see data/checks/phi-vocabulary.json)
 * @error: return location for a #GError
 *
 * Builds a detector from @vocabulary; tests use it to try a vocabulary
 * without the compiled resource.
 *
 * Returns: (transfer full): a new detector, or %NULL with @error set
 */
WcPhiDetector *
wc_phi_detector_new_from_bytes (GBytes  *vocabulary,
                                GError **error)
{
  g_autoptr(WcPhiDetector) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize size;
  const char *data;

  g_return_val_if_fail (vocabulary != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (vocabulary, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_set_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                   "the patient-information vocabulary is not valid JSON: %s",
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID,
                           "the patient-information vocabulary is not a JSON object");
      return NULL;
    }

  self = g_object_new (WC_TYPE_PHI_DETECTOR, NULL);
  if (!load_vocabulary (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * wc_phi_detector_new:
 * @error: return location for a #GError
 *
 * Builds a detector from the vocabulary compiled into the application.
 * Build it once and reuse it: building compiles all its patterns.
 *
 * Returns: (transfer full): a new detector, or %NULL with @error set
 */
WcPhiDetector *
wc_phi_detector_new (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Referencing the resource keeps it linked in from the static library. */
  (void) wc_core_get_resource ();

  bytes = g_resources_lookup_data (VOCABULARY_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return wc_phi_detector_new_from_bytes (bytes, error);
}

/**
 * wc_phi_detector_set_own_organisations:
 * @self: a #WcPhiDetector
 * @names: (nullable) (array zero-terminated=1): the user's own hospitals
 *   and practices, from the professional identity's markers
 *
 * A rare condition named together with a date and one of @names identifies
 * a patient more surely; such hits are escalated.
 */
void
wc_phi_detector_set_own_organisations (WcPhiDetector      *self,
                                       const char * const *names)
{
  g_autoptr(GString) pattern = NULL;
  g_autofree char *key = names ? g_strjoinv ("\n", (char **) names) : NULL;
  guint n = 0;

  g_return_if_fail (WC_IS_PHI_DETECTOR (self));

  /* The checker passes the names on every run: compile only when they
   * change, not once per burst of typing. */
  if (g_strcmp0 (key, self->own_orgs_key) == 0)
    return;
  g_free (self->own_orgs_key);
  self->own_orgs_key = g_steal_pointer (&key);

  g_clear_pointer (&self->own_org_re, g_regex_unref);
  if (names == NULL)
    return;

  pattern = g_string_new (WB_L "(?i:");
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));
      g_autofree char *escaped = NULL;

      if (g_utf8_strlen (name, -1) < 2 || !g_utf8_validate (name, -1, NULL))
        continue;

      escaped = g_regex_escape_string (name, -1);
      if (n++ > 0)
        g_string_append_c (pattern, '|');
      for (const char *p = escaped; *p != '\0'; p++)
        {
          if (*p == ' ')
            {
              while (p[1] == ' ')
                p++;
              g_string_append (pattern, SP);
            }
          else
            g_string_append_c (pattern, *p);
        }
    }
  g_string_append (pattern, ")" WB_R);

  if (n == 0)
    return;

  /* The names are escaped, so this does not fail; if it did, the message
   * would quote the names, which stay out of the log. */
  self->own_org_re = g_regex_new (pattern->str, G_REGEX_OPTIMIZE, 0, NULL);
  if (self->own_org_re == NULL)
    g_debug ("Cannot build a pattern from the organisations' names");
}

/**
 * wc_phi_detector_run:
 * @self: a #WcPhiDetector
 * @text: the draft's text, UTF-8
 * @hits: (element-type WcHit): where to append what is found
 *
 * Appends a #WcHit for each piece of patient-identifying information in
 * @text, sorted by position; spans are byte offsets into @text.  Text that
 * is not valid UTF-8 yields no hits.
 */
void
wc_phi_detector_run (WcPhiDetector *self,
                     const char    *text,
                     GArray        *hits)
{
  Run run = { 0 };

  g_return_if_fail (WC_IS_PHI_DETECTOR (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (hits != NULL);

  /* GRegex trusts its subject to be UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    return;

  run.self = self;
  run.text = text;
  run.len = strlen (text);
  run.hits = hits;
  run.first_hit = hits->len;
  run.claims = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.patient = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.person = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.clinical = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.lecture = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.anniversary = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.named = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.patient_names = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.ages = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.addresses = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  run.pending_phones = g_array_new (FALSE, FALSE, sizeof (WcSpan));

  /* Context first: the detectors ask about it. */
  collect_spans (&run, self->re[RE_PATIENT], run.patient);
  collect_spans (&run, self->re[RE_PERSON], run.person);
  collect_spans (&run, self->re[RE_CLINICAL], run.clinical);
  collect_spans (&run, self->re[RE_LECTURE], run.lecture);
  collect_spans (&run, self->re[RE_ANNIVERSARY], run.anniversary);
  for_each_match (&run, self->re[RE_HONORIFIC_NAME], honorific_context_cb);
  for_each_match (&run, self->re[RE_AGE_STRONG], age_context_cb);
  run.has_story = run.patient->len > 0 || run.person->len > 0 || run.clinical->len > 0
    || run.named->len > 0 || run.ages->len > 0;

  /* Then the most specific shapes, each claiming its stretch so that a
   * less specific one (a phone number) does not report it again. */
  for_each_match (&run, self->re[RE_EMAIL], email_cb);
  for_each_match (&run, self->re[RE_IBAN], iban_cb);
  for_each_match (&run, self->re[RE_PHONE], phone_cb);
  for_each_match (&run, self->re[RE_RECORD], record_cb);
  for_each_match (&run, self->re[RE_SSN_WORD], ssn_word_cb);
  for_each_match (&run, self->re[RE_SSN], ssn_cb);
  for_each_match (&run, self->re[RE_NHS], nhs_cb);
  for_each_match (&run, self->re[RE_BSN_WORD], bsn_cb);
  for_each_match (&run, self->re[RE_BSN], bsn_cb);

  /* Names before dates: a full date is a patient's next to a patient's
   * name, not next to any "Mr Bean". */
  for_each_match (&run, self->re[RE_PATIENT_NAME], patient_name_cb);
  for_each_match (&run, self->re[RE_HONORIFIC_NAME], honorific_name_cb);

  for_each_match (&run, self->re[RE_DATE_ISO], date_iso_cb);
  for_each_match (&run, self->re[RE_DATE_NUMERIC], date_numeric_cb);
  for_each_match (&run, self->re[RE_DATE_DMY], date_text_cb);
  for_each_match (&run, self->re[RE_DATE_MDY], date_text_cb);
  if (!run.has_date)
    for_each_match (&run, self->re[RE_DATE_PARTIAL], date_partial_cb);

  for_each_match (&run, self->re[RE_STREET_COMPOUND], street_compound_cb);
  for_each_match (&run, self->re[RE_STREET_DE], street_de_cb);
  for_each_match (&run, self->re[RE_STREET_EN], street_en_cb);
  for_each_match (&run, self->re[RE_STREET_FR], street_fr_cb);
  for_each_match (&run, self->re[RE_STREET_FR_AFTER], street_fr_after_cb);
  for_each_match (&run, self->re[RE_POSTCODE_NL], postcode_nl_cb);
  for_each_match (&run, self->re[RE_POSTCODE_UK], postcode_uk_cb);
  for_each_match (&run, self->re[RE_POSTCODE_US], postcode_us_cb);
  for_each_match (&run, self->re[RE_POSTCODE_EU], postcode_eu_cb);

  /* National phone numbers last: by now dates, postcodes and identity
   * numbers have claimed what only looked like one. */
  for (guint i = 0; i < run.pending_phones->len; i++)
    {
      const WcSpan *span = &g_array_index (run.pending_phones, WcSpan, i);

      if (!overlaps_any (run.claims, span->start, span->end))
        {
          emit (&run, "phi.phone", span->start, span->end, FALSE);
          add_span (run.claims, span->start, span->end);
        }
    }

  for_each_match (&run, self->re[RE_AGE_STRONG], age_strong_cb);
  for_each_match (&run, self->re[RE_AGE_WEAK], age_weak_cb);
  for_each_match (&run, self->re[RE_AGE_BRACKET], age_bracket_cb);
  for_each_match (&run, self->re[RE_ROOM], room_cb);
  run.has_own_org = self->own_org_re != NULL
    && g_regex_match_full (self->own_org_re, text, (gssize) run.len, 0, 0, NULL, NULL);
  for_each_match (&run, self->re[RE_RARE], rare_cb);

  tidy_hits (&run);

  g_array_unref (run.claims);
  g_array_unref (run.patient);
  g_array_unref (run.person);
  g_array_unref (run.clinical);
  g_array_unref (run.lecture);
  g_array_unref (run.anniversary);
  g_array_unref (run.named);
  g_array_unref (run.patient_names);
  g_array_unref (run.ages);
  g_array_unref (run.addresses);
  g_array_unref (run.pending_phones);
}

/**
 * wc_phi_bsn_is_valid:
 * @number: nine digits, possibly grouped by spaces, dots or hyphens
 *
 * Whether @number passes the Dutch BSN "elfproef":
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11 (and not all zeros).
 */
gboolean
wc_phi_bsn_is_valid (const char *number)
{
  guint d[9];
  int sum = 0;
  gboolean any = FALSE;

  if (!extract_digits (number, d, 9))
    return FALSE;

  for (guint i = 0; i < 8; i++)
    {
      sum += (int) ((9 - i) * d[i]);
      any |= d[i] != 0;
    }
  sum -= (int) d[8];
  any |= d[8] != 0;

  return any && sum % 11 == 0;
}

/**
 * wc_phi_nhs_number_is_valid:
 * @number: ten digits, possibly grouped 3-3-4 by spaces or hyphens
 *
 * Whether @number is a valid NHS number: the modulus 11 check digit over
 * the first nine digits (weights 10 to 2) equals the tenth digit; a
 * remainder giving 10 means no valid number.
 */
gboolean
wc_phi_nhs_number_is_valid (const char *number)
{
  guint d[10];
  guint sum = 0;
  guint check;
  gboolean any = FALSE;

  if (!extract_digits (number, d, 10))
    return FALSE;

  for (guint i = 0; i < 9; i++)
    {
      sum += (10 - i) * d[i];
      any |= d[i] != 0;
    }

  check = 11 - (sum % 11);
  if (check == 11)
    check = 0;
  if (check == 10)
    return FALSE;

  return any && check == d[9];
}

/**
 * wc_phi_ssn_is_valid:
 * @number: a US social security number, AAA-GG-SSSS (or nine digits)
 *
 * Whether @number can be a social security number: no area 000, 666 or
 * 900–999, no group 00, no serial 0000.
 */
gboolean
wc_phi_ssn_is_valid (const char *number)
{
  guint d[9];
  guint area, group, serial;

  if (!extract_digits (number, d, 9))
    return FALSE;

  area = d[0] * 100 + d[1] * 10 + d[2];
  group = d[3] * 10 + d[4];
  serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];

  return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}
