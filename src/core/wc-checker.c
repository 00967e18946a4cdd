/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-checker"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-checker.h"
#include "wc-limits.h"
#include "wc-core-resources.h"
#include "wc-phi-detector.h"
#include "wc-text.h"
#include "wc-util.h"

#define CHECKS_RESOURCE     "/io/github/whitecoat/Whitecoat/core/checks/checks.json"
#define VOCABULARY_RESOURCE "/io/github/whitecoat/Whitecoat/core/checks/identity-vocabulary.json"

/* Word-shingle overlap above which two texts count as the same post. */
#define CROSSPOST_SIMILARITY   0.7

typedef struct
{
  char          *id;
  char          *message;
  char          *rule;
  WcSeverity     severity;
  WcResolutions  resolutions;
} CheckDefinition;

struct _WcChecker
{
  GObject        parent_instance;

  GHashTable    *checks;     /* id → CheckDefinition */
  GArray        *rules;      /* WcRule, strings owned by rule_strings */
  GPtrArray     *rule_strings;
  GPtrArray     *clinical;   /* folded phrases */
  WcPhiDetector *phi;
};

G_DEFINE_FINAL_TYPE (WcChecker, wc_checker, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-checker-error-quark, wc_checker_error)

static const struct {
  const char    *name;
  WcResolutions  flag;
} resolution_names[] = {
  { "edit", WC_RESOLUTION_EDIT },
  { "remove-image", WC_RESOLUTION_REMOVE_IMAGE },
  { "strip-metadata", WC_RESOLUTION_STRIP_METADATA },
  { "record-consent", WC_RESOLUTION_RECORD_CONSENT },
  { "record-source", WC_RESOLUTION_RECORD_SOURCE },
  { "move-identity", WC_RESOLUTION_MOVE_IDENTITY },
  { "dismiss", WC_RESOLUTION_DISMISS },
};

static void
check_definition_free (CheckDefinition *def)
{
  g_free (def->id);
  g_free (def->message);
  g_free (def->rule);
  g_free (def);
}

static JsonNode *
load_json_resource (const char  *path,
                    GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  (void) wc_core_get_resource ();
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
definitions_error (GError    **error,
                   const char *what)
{
  g_set_error (error, WC_CHECKER_ERROR, WC_CHECKER_ERROR_DEFINITIONS,
               "check definitions: %s", what);
  return FALSE;
}

static gboolean
load_definitions (WcChecker  *self,
                  GError    **error)
{
  g_autoptr(JsonNode) root = load_json_resource (CHECKS_RESOURCE, error);
  JsonObject *object;
  JsonArray *checks, *rules;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return definitions_error (error, "not an object");
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "checks") || !json_object_has_member (object, "rules"))
    return definitions_error (error, "no checks or rules");

  rules = json_object_get_array_member (object, "rules");
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);
      WcRule rule;

      if (r == NULL || !json_object_has_member (r, "id") || !json_object_has_member (r, "title")
          || !json_object_has_member (r, "sources"))
        return definitions_error (error, "a rule lacks id, title or sources");
      rule.id = g_strdup (json_object_get_string_member (r, "id"));
      rule.title = g_strdup (json_object_get_string_member (r, "title"));
      rule.sources = g_strdup (json_object_get_string_member (r, "sources"));
      g_ptr_array_add (self->rule_strings, (char *) rule.id);
      g_ptr_array_add (self->rule_strings, (char *) rule.title);
      g_ptr_array_add (self->rule_strings, (char *) rule.sources);
      g_array_append_val (self->rules, rule);
    }

  checks = json_object_get_array_member (object, "checks");
  for (guint i = 0; checks && i < json_array_get_length (checks); i++)
    {
      JsonObject *c = json_array_get_object_element (checks, i);
      CheckDefinition *def;
      JsonArray *resolutions;

      if (c == NULL || !json_object_has_member (c, "id") || !json_object_has_member (c, "message")
          || !json_object_has_member (c, "rule") || !json_object_has_member (c, "severity")
          || !json_object_has_member (c, "resolutions"))
        return definitions_error (error, "a check lacks id, message, rule, severity or resolutions");

      def = g_new0 (CheckDefinition, 1);
      def->id = g_strdup (json_object_get_string_member (c, "id"));
      def->message = g_strdup (json_object_get_string_member (c, "message"));
      def->rule = g_strdup (json_object_get_string_member (c, "rule"));
      g_hash_table_replace (self->checks, def->id, def);

      if (!wc_severity_from_string (json_object_get_string_member (c, "severity"), &def->severity))
        return definitions_error (error, "unknown severity");
      if (wc_checker_lookup_rule (self, def->rule) == NULL)
        return definitions_error (error, "a check names an unknown rule");

      resolutions = json_object_get_array_member (c, "resolutions");
      for (guint j = 0; resolutions && j < json_array_get_length (resolutions); j++)
        {
          const char *name = json_array_get_string_element (resolutions, j);
          gboolean known = FALSE;

          for (guint k = 0; k < G_N_ELEMENTS (resolution_names); k++)
            if (g_strcmp0 (name, resolution_names[k].name) == 0)
              {
                def->resolutions |= resolution_names[k].flag;
                known = TRUE;
              }
          if (!known)
            return definitions_error (error, "unknown resolution");
        }
    }
  return TRUE;
}

static gboolean
load_vocabulary (WcChecker  *self,
                 GError    **error)
{
  g_autoptr(JsonNode) root = load_json_resource (VOCABULARY_RESOURCE, error);
  JsonObject *clinical;
  g_autoptr(GList) languages = NULL;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (clinical = json_object_get_object_member (json_node_get_object (root), "clinical")) == NULL)
    return definitions_error (error, "identity vocabulary has no clinical phrases");

  languages = json_object_get_members (clinical);
  for (GList *l = languages; l; l = l->next)
    {
      JsonArray *phrases = json_object_get_array_member (clinical, l->data);

      for (guint i = 0; phrases && i < json_array_get_length (phrases); i++)
        g_ptr_array_add (self->clinical, wc_text_fold (json_array_get_string_element (phrases, i)));
    }
  return TRUE;
}

static void
wc_checker_finalize (GObject *object)
{
  WcChecker *self = (WcChecker *) object;

  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_array_unref);
  g_clear_pointer (&self->rule_strings, g_ptr_array_unref);
  g_clear_pointer (&self->clinical, g_ptr_array_unref);
  g_clear_object (&self->phi);

  G_OBJECT_CLASS (wc_checker_parent_class)->finalize (object);
}

static void
wc_checker_class_init (WcCheckerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_checker_finalize;
}

static void
wc_checker_init (WcChecker *self)
{
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) check_definition_free);
  self->rules = g_array_new (FALSE, FALSE, sizeof (WcRule));
  self->rule_strings = g_ptr_array_new_with_free_func (g_free);
  self->clinical = g_ptr_array_new_with_free_func (g_free);
}

/**
 * wc_checker_new:
 * @error: set when the compiled-in definitions are broken
 *
 * Loads the check definitions and vocabularies. Build one and reuse it: the
 * patterns are compiled here, not on every keystroke.
 *
 * Returns: (transfer full): a checker
 */
WcChecker *
wc_checker_new (GError **error)
{
  g_autoptr(WcChecker) self = g_object_new (WC_TYPE_CHECKER, NULL);

  if (!load_definitions (self, error) || !load_vocabulary (self, error))
    return NULL;
  self->phi = wc_phi_detector_new (error);
  if (self->phi == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * wc_checker_lookup_rule:
 * @rule_id: such as "R3"
 *
 * Returns: (nullable): the rule, as ../shared/GUIDELINES.md states it
 */
const WcRule *
wc_checker_lookup_rule (WcChecker  *self,
                        const char *rule_id)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      const WcRule *rule = &g_array_index (self->rules, WcRule, i);

      if (g_strcmp0 (rule->id, rule_id) == 0)
        return rule;
    }
  return NULL;
}

gboolean
wc_checker_has_check (WcChecker  *self,
                      const char *check_id)
{
  return g_hash_table_contains (self->checks, check_id);
}

/**
 * wc_checker_make_finding:
 * @check_id: a check from the definitions
 * @escalate: raise the check's severity one step
 * @detail: (nullable): a translated sentence to add to the message
 *
 * Returns: (transfer full): a finding dressed from the check's definition
 */
WcFinding *
wc_checker_make_finding (WcChecker  *self,
                         const char *check_id,
                         gboolean    escalate,
                         const char *detail)
{
  CheckDefinition *def = g_hash_table_lookup (self->checks, check_id);
  g_autofree char *message = NULL;
  WcFinding *finding;
  WcSeverity severity;

  g_return_val_if_fail (def != NULL, NULL);

  severity = def->severity;
  if (escalate && severity < WC_SEVERITY_BLOCKER)
    severity++;

  if (detail != NULL)
    message = g_strdup_printf ("%s %s", g_dgettext (GETTEXT_PACKAGE, def->message), detail);
  else
    message = g_strdup (g_dgettext (GETTEXT_PACKAGE, def->message));

  finding = wc_finding_new (def->id, severity, message);
  wc_finding_set_rule (finding, def->rule);
  wc_finding_set_resolutions (finding, def->resolutions);
  return finding;
}

/* One finding per check, holding every span a detector reported for it. */
static void
add_hit (WcChecker  *self,
         GHashTable *by_id,
         GPtrArray  *findings,
         const WcHit *hit)
{
  WcFinding *finding = g_hash_table_lookup (by_id, hit->check_id);

  if (finding != NULL && hit->escalate
      && wc_finding_get_severity (finding) < WC_SEVERITY_BLOCKER)
    {
      /* Re-dress with the higher severity, keeping the spans. */
      WcFinding *raised = wc_checker_make_finding (self, hit->check_id, TRUE, NULL);
      guint n;
      const WcSpan *spans = wc_finding_get_spans (finding, &n);

      for (guint i = 0; i < n; i++)
        wc_finding_add_span (raised, spans[i].start, spans[i].end);
      g_ptr_array_remove (findings, finding);
      finding = raised;
      g_ptr_array_add (findings, finding);
      g_hash_table_replace (by_id, (gpointer) hit->check_id, finding);
    }
  else if (finding == NULL)
    {
      finding = wc_checker_make_finding (self, hit->check_id, hit->escalate, NULL);
      g_ptr_array_add (findings, finding);
      g_hash_table_insert (by_id, (gpointer) hit->check_id, finding);
    }
  wc_finding_add_span (finding, hit->span.start, hit->span.end);
}

static void
add_phrase_hits (const WcFoldedText *folded,
                 const char         *folded_needle,
                 const char         *check_id,
                 GArray             *hits)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));

  wc_folded_text_find_words (folded, folded_needle, spans);
  for (guint i = 0; i < spans->len; i++)
    {
      WcHit hit = { check_id, g_array_index (spans, WcSpan, i), FALSE };
      g_array_append_val (hits, hit);
    }
}

static void
check_identity (WcChecker            *self,
                const WcCheckContext *context,
                const WcFoldedText   *folded,
                GArray               *hits)
{
  /* Clinical language belongs to the professional identity. */
  if (context->identity == WC_IDENTITY_PERSONAL)
    {
      for (guint i = 0; i < self->clinical->len; i++)
        add_phrase_hits (folded, g_ptr_array_index (self->clinical, i),
                         "identity.clinical-in-personal", hits);

      /* The professional identity's title and specialty read as clinical
       * too, but do not reveal who the author is. */
      if (context->other != NULL)
        {
          GPtrArray *markers = wc_identity_get_markers (context->other);

          for (guint i = 0; i < markers->len; i++)
            {
              WcMarker *marker = g_ptr_array_index (markers, i);
              g_autofree char *needle = NULL;

              if (marker->kind != WC_MARKER_SPECIALTY)
                continue;
              needle = wc_text_fold (marker->value);
              add_phrase_hits (folded, needle, "identity.clinical-in-personal", hits);
            }
        }
    }

  /* The other identity's markers and accounts link the two. */
  if (context->other != NULL)
    {
      GPtrArray *markers = wc_identity_get_markers (context->other);

      for (guint i = 0; i < markers->len; i++)
        {
          WcMarker *marker = g_ptr_array_index (markers, i);
          g_autofree char *needle = NULL;

          if (marker->kind == WC_MARKER_TITLE || marker->kind == WC_MARKER_SPECIALTY)
            continue;
          needle = wc_text_fold (marker->value);
          add_phrase_hits (folded, needle, "crosslink.marker", hits);
        }
    }

  for (guint i = 0; context->other_accounts && i < context->other_accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (context->other_accounts, i);
      const char *handle = wc_account_get_handle (account);
      const char *url = wc_account_get_profile_url (account);

      if (!wc_text_is_blank (handle))
        {
          g_autofree char *needle = wc_text_fold (handle);
          add_phrase_hits (folded, needle, "crosslink.account", hits);

          /* "@anna@social.example" is also written as "@anna". */
          if (needle[0] == '@' && strchr (needle + 1, '@') != NULL)
            {
              g_autofree char *local = g_strndup (needle, strchr (needle + 1, '@') - needle);
              add_phrase_hits (folded, local, "crosslink.account", hits);
            }
        }
      if (!wc_text_is_blank (url))
        {
          g_autofree char *needle = wc_text_fold (url);
          const char *bare = strstr (needle, "://") ? strstr (needle, "://") + 3 : needle;

          add_phrase_hits (folded, bare, "crosslink.account", hits);
        }
    }
}

static GHashTable *
word_shingles (const char *folded)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        g_string_append_unichar (word, c);
      else if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  if (words->len < 3)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (words, NULL);
      joined = g_strjoinv (" ", (char **) words->pdata);
      if (*joined)
        g_hash_table_add (set, g_steal_pointer (&joined));
      return set;
    }

  for (guint i = 0; i + 2 < words->len; i++)
    g_hash_table_add (set, g_strdup_printf ("%s %s %s", (char *) words->pdata[i],
                                            (char *) words->pdata[i + 1], (char *) words->pdata[i + 2]));
  return set;
}

static double
similarity (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  guint common = 0;
  guint total;

  if (g_hash_table_size (a) == 0 || g_hash_table_size (b) == 0)
    return 0.0;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (b, key))
      common++;
  total = g_hash_table_size (a) + g_hash_table_size (b) - common;
  return (double) common / total;
}

static gboolean
is_cross_posted (const WcCheckContext *context,
                 const WcFoldedText   *folded)
{
  g_autoptr(GHashTable) mine = NULL;

  if (context->other_texts == NULL)
    return FALSE;

  mine = word_shingles (wc_folded_text_get_text (folded));
  for (guint i = 0; context->other_texts[i] != NULL; i++)
    {
      g_autofree char *other_folded = wc_text_fold (context->other_texts[i]);
      g_autoptr(GHashTable) theirs = word_shingles (other_folded);

      if (similarity (mine, theirs) >= CROSSPOST_SIMILARITY)
        return TRUE;
    }
  return FALSE;
}

static void
check_limits (WcChecker            *self,
              const WcCheckContext *context,
              const char           *text,
              GPtrArray            *findings)
{
  for (guint i = 0; context->targets && i < context->targets->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (context->targets, i);
      const WcServerLimits *server = context->target_limits != NULL ? &context->target_limits[i] : NULL;
      const char *id = wc_network_info_get_id (info);
      guint limit = wc_network_info_get_char_limit (info);
      guint chars_per_url = WC_MASTODON_CHARS_PER_URL;
      guint length;
      gsize bytes = 0;

      /* The server's own limits, when it told them. */
      if (server != NULL && server->max_characters > 0)
        limit = server->max_characters;
      if (server != NULL && server->chars_per_url > 0)
        chars_per_url = server->chars_per_url;

      if (g_str_equal (id, "mastodon"))
        length = wc_limits_mastodon_length (context->content_warning, text, chars_per_url);
      else if (g_str_equal (id, "bluesky"))
        length = wc_limits_bluesky_length (text, &bytes);
      else
        length = wc_text_count_graphemes (text, -1);

      if (limit > 0 && length > limit)
        {
          /* Translators: network name, characters used, characters allowed */
          g_autofree char *detail = g_strdup_printf (_("%s: %u characters of %u."),
                                                     wc_network_info_get_name (info), length, limit);
          WcFinding *finding = wc_checker_make_finding (self, "limit.length", FALSE, detail);
          guint graphemes = wc_text_count_graphemes (text, -1);
          guint excess = length - limit;

          /* Underline what is over the limit: the last graphemes, as many
           * as the post is too long (links and mentions make this an
           * estimate on Mastodon). */
          wc_finding_add_span (finding,
                               wc_text_grapheme_offset (text, graphemes > excess ? graphemes - excess : 0),
                               strlen (text));
          g_ptr_array_add (findings, finding);
        }
      if (bytes > WC_BLUESKY_MAX_BYTES)
        {
          g_autofree char *detail = g_strdup_printf (_("%s: %lu bytes of %u."),
                                                     wc_network_info_get_name (info), (gulong) bytes,
                                                     (guint) WC_BLUESKY_MAX_BYTES);
          WcFinding *finding = wc_checker_make_finding (self, "limit.bytes", FALSE, detail);

          wc_finding_add_span (finding, 0, strlen (text));
          g_ptr_array_add (findings, finding);
        }
    }
}

static void
check_image_count (WcChecker            *self,
                   const WcCheckContext *context,
                   GPtrArray            *findings)
{
  for (guint i = 0; context->targets && i < context->targets->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (context->targets, i);
      guint max = wc_network_info_get_max_images (info);

      if (context->target_limits != NULL && context->target_limits[i].max_media > 0)
        max = context->target_limits[i].max_media;

      if (max > 0 && context->n_images > max)
        {
          /* Translators: network name, images attached, images allowed */
          g_autofree char *detail = g_strdup_printf (_("%s: %u images of %u."),
                                                     wc_network_info_get_name (info),
                                                     context->n_images, max);
          g_ptr_array_add (findings, wc_checker_make_finding (self, "limit.images", FALSE, detail));
        }
    }
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  return wc_finding_compare (*(WcFinding **) a, *(WcFinding **) b);
}

/**
 * wc_checker_check_text:
 * @context: what the checks may know besides the text
 * @text: the draft's text, valid UTF-8
 *
 * Runs every text check. Findings about the same check are merged, with all
 * their spans.
 *
 * Returns: (transfer full) (element-type WcFinding): the findings, most
 *   severe first
 */
GPtrArray *
wc_checker_check_text (WcChecker            *self,
                       const WcCheckContext *context,
                       const char           *text)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_finding_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));
  g_autoptr(WcFoldedText) folded = NULL;

  g_return_val_if_fail (WC_IS_CHECKER (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);

  folded = wc_folded_text_new (text);

  if (context->own != NULL && context->identity == WC_IDENTITY_PROFESSIONAL)
    {
      g_auto(GStrv) organisations = wc_identity_dup_marker_values (context->own, WC_MARKER_ORGANISATION);
      wc_phi_detector_set_own_organisations (self->phi, (const char * const *) organisations);
    }
  else if (context->other != NULL && context->identity == WC_IDENTITY_PERSONAL)
    {
      g_auto(GStrv) organisations = wc_identity_dup_marker_values (context->other, WC_MARKER_ORGANISATION);
      wc_phi_detector_set_own_organisations (self->phi, (const char * const *) organisations);
    }
  else
    wc_phi_detector_set_own_organisations (self->phi, NULL);

  wc_phi_detector_run (self->phi, text, hits);
  if (context->roster != NULL)
    wc_roster_matcher_run_folded (context->roster, folded, hits);
  check_identity (self, context, folded, hits);

  for (guint i = 0; i < hits->len; i++)
    add_hit (self, by_id, findings, &g_array_index (hits, WcHit, i));

  if (is_cross_posted (context, folded))
    {
      WcFinding *finding = wc_checker_make_finding (self, "crosspost.similar", FALSE, NULL);

      wc_finding_add_span (finding, 0, strlen (text));
      g_ptr_array_add (findings, finding);
    }

  check_limits (self, context, text, findings);
  check_image_count (self, context, findings);

  {
    WcFinding *timing = wc_checker_check_timing (self, context);

    if (timing != NULL)
      g_ptr_array_add (findings, timing);
  }

  g_ptr_array_sort (findings, compare_findings);
  return g_steal_pointer (&findings);
}

/* "It carries: GPS position, Capture time." — names only, never values. */
static char *
dup_item_names (const WcImageReport *report,
                WcImageItemKind      kind)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < wc_image_report_get_n_items (report); i++)
    {
      const WcImageItem *item = wc_image_report_get_item (report, i);

      /* DICOM keywords are the standard's own words; the others are
       * marked N_() where the inspector names them. */
      if (item->kind == kind)
        g_ptr_array_add (names, (gpointer) (kind == WC_IMAGE_ITEM_DICOM_IDENTIFIER
                                            ? item->name : g_dgettext (GETTEXT_PACKAGE, item->name)));
    }
  if (names->len == 0)
    return NULL;
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static void
add_image_finding (WcChecker           *self,
                   GPtrArray           *findings,
                   const char          *check_id,
                   int                  index,
                   const WcImageReport *report,
                   WcImageItemKind      kind)
{
  g_autofree char *names = report ? dup_item_names (report, kind) : NULL;
  g_autofree char *detail = NULL;
  WcFinding *finding;

  if (report != NULL && names == NULL)
    return;
  if (names != NULL)
    /* Translators: followed by the names of what was found, e.g. "GPS position, Capture time" */
    detail = g_strdup_printf (_("Found: %s."), names);

  finding = wc_checker_make_finding (self, check_id, FALSE, detail);
  wc_finding_set_attachment (finding, index);
  g_ptr_array_add (findings, finding);
}

/**
 * wc_checker_check_image:
 * @report: what the file gives away (wc_image_inspect_file())
 * @index: the image's place among the draft's attachments
 * @attachment: (nullable): the draft's record of the image — clinical flag,
 *   consent, source, alt text — or %NULL for a file checked on its own
 *
 * Returns: (transfer full) (element-type WcFinding): the findings about the
 *   image, most severe first
 */
GPtrArray *
wc_checker_check_image (WcChecker           *self,
                        const WcImageReport *report,
                        int                  index,
                        const WcAttachment  *attachment)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_finding_unref);

  g_return_val_if_fail (WC_IS_CHECKER (self), NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (wc_image_report_get_is_dicom (report))
    {
      g_autofree char *names = dup_item_names (report, WC_IMAGE_ITEM_DICOM_IDENTIFIER);
      g_autofree char *detail = names ? g_strdup_printf (_("It names: %s."), names) : NULL;
      WcFinding *finding = wc_checker_make_finding (self, "image.dicom", FALSE, detail);

      wc_finding_set_attachment (finding, index);
      g_ptr_array_add (findings, finding);
    }
  else if (!wc_image_report_get_readable (report))
    add_image_finding (self, findings, "image.unreadable", index, NULL, 0);
  else
    {
      add_image_finding (self, findings, "image.gps", index, report, WC_IMAGE_ITEM_GPS);
      add_image_finding (self, findings, "image.caption", index, report, WC_IMAGE_ITEM_CAPTION);
      add_image_finding (self, findings, "image.thumbnail", index, report, WC_IMAGE_ITEM_THUMBNAIL);
      add_image_finding (self, findings, "image.metadata", index, report, WC_IMAGE_ITEM_METADATA);
    }

  if (attachment != NULL)
    {
      if (attachment->clinical && attachment->consent_at == 0)
        add_image_finding (self, findings, "image.consent", index, NULL, 0);
      /* NULL: the user's own; "": someone else's, origin not yet recorded. */
      if (attachment->clinical && attachment->source != NULL && wc_text_is_blank (attachment->source))
        add_image_finding (self, findings, "image.source", index, NULL, 0);
      if (wc_text_is_blank (attachment->alt_text))
        add_image_finding (self, findings, "limit.alt-text", index, NULL, 0);
    }

  g_ptr_array_sort (findings, compare_findings);
  return g_steal_pointer (&findings);
}

/**
 * wc_findings_max_severity:
 * @findings: (element-type WcFinding): findings
 *
 * Returns: the highest severity among @findings; info when there are none
 */
WcSeverity
wc_findings_max_severity (GPtrArray *findings)
{
  WcSeverity max = WC_SEVERITY_INFO;

  for (guint i = 0; findings && i < findings->len; i++)
    max = MAX (max, wc_finding_get_severity (g_ptr_array_index (findings, i)));
  return max;
}

/* --- Duty hours ------------------------------------------------------------ */

/**
 * wc_duty_days_from_strv:
 * @days: (nullable): day names as the duty-days setting keeps them: "mon",
 *   "tue" … "sun"
 *
 * Returns: the days as WcDutyHours.days, bit 0 Monday … bit 6 Sunday;
 *   unknown names are left out
 */
guint
wc_duty_days_from_strv (const char * const *days)
{
  static const char * const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  guint bits = 0;

  for (guint i = 0; days != NULL && days[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (names); j++)
      if (g_str_equal (days[i], names[j]))
        bits |= 1u << j;
  return bits;
}

static gboolean
duty_hours_valid (const WcDutyHours *duty)
{
  return duty != NULL && duty->days != 0 && duty->start != duty->end
         && duty->start < 24 * 60 && duty->end < 24 * 60;
}

/**
 * wc_duty_hours_contain:
 * @duty: the duty hours
 * @at: a time, in the time zone the duty hours are meant in
 *
 * A duty that ends before it starts runs past midnight and belongs to the
 * day it starts on: with duty from 22:00 to 07:00 on Wednesdays, Thursday
 * 02:00 is on duty.
 *
 * Returns: whether @at falls inside the duty hours
 */
gboolean
wc_duty_hours_contain (const WcDutyHours *duty,
                       GDateTime         *at)
{
  guint minute, weekday;

  g_return_val_if_fail (at != NULL, FALSE);

  if (!duty_hours_valid (duty))
    return FALSE;

  minute = g_date_time_get_hour (at) * 60 + g_date_time_get_minute (at);
  weekday = g_date_time_get_day_of_week (at) - 1;  /* Monday = 0 */

  if (duty->start < duty->end)
    return (duty->days & (1u << weekday)) && minute >= duty->start && minute < duty->end;

  /* Overnight duty: from the start on a duty day until the end next morning. */
  if (minute >= duty->start)
    return (duty->days & (1u << weekday)) != 0;
  if (minute < duty->end)
    return (duty->days & (1u << ((weekday + 6) % 7))) != 0;
  return FALSE;
}

/**
 * wc_duty_hours_get_end:
 * @duty: the duty hours
 * @at: a time, in the time zone the duty hours are meant in
 *
 * Returns: (transfer full) (nullable): when the duty that @at falls in
 *   ends, in @at's time zone; %NULL when @at is not on duty
 */
GDateTime *
wc_duty_hours_get_end (const WcDutyHours *duty,
                       GDateTime         *at)
{
  g_autoptr(GDateTime) day = NULL;
  guint minute;

  g_return_val_if_fail (at != NULL, NULL);

  if (!wc_duty_hours_contain (duty, at))
    return NULL;

  minute = g_date_time_get_hour (at) * 60 + g_date_time_get_minute (at);
  /* An overnight duty that started this evening ends tomorrow morning. */
  if (duty->start > duty->end && minute >= duty->start)
    day = g_date_time_add_days (at, 1);
  else
    day = g_date_time_ref (at);
  return g_date_time_new (g_date_time_get_timezone (at),
                          g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day),
                          duty->end / 60, duty->end % 60, 0);
}

/**
 * wc_checker_check_timing:
 * @context: the identity, the time the post goes out and the duty hours;
 *   the rest is not read
 *
 * The check on when a post goes out: a personal post that appears during
 * the duty hours tells patients and the employer that the doctor posts
 * personal things at work (R1). A post sent now counts as much as one
 * scheduled: what people see is when it appears.
 *
 * Returns: (transfer full) (nullable): the "timing.duty-hours" finding, or
 *   %NULL
 */
WcFinding *
wc_checker_check_timing (WcChecker            *self,
                         const WcCheckContext *context)
{
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (WC_IS_CHECKER (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);

  if (context->identity != WC_IDENTITY_PERSONAL || context->scheduled_at == NULL)
    return NULL;
  end = wc_duty_hours_get_end (&context->duty, context->scheduled_at);
  if (end == NULL)
    return NULL;

  start_text = g_strdup_printf ("%02u:%02u", context->duty.start / 60, context->duty.start % 60);
  end_text = g_date_time_format (end, "%H:%M");
  if (context->posting_now)
    /* Translators: %1$s and %2$s are the start and the end of the duty
     * hours, such as 08:00 and 17:00. */
    detail = g_strdup_printf (_("Posted now, it appears while you are on duty (%1$s–%2$s), where patients and "
                                "your employer can see it. Schedule it for after %2$s to keep your personal "
                                "and professional lives apart."),
                              start_text, end_text);
  else
    /* Translators: %1$s and %2$s are the start and the end of the duty
     * hours, such as 08:00 and 17:00. */
    detail = g_strdup_printf (_("You are on duty then (%1$s–%2$s): patients and your employer can see it appear "
                                "while you are at work. A time after %2$s keeps your personal and professional "
                                "lives apart."),
                              start_text, end_text);
  return wc_checker_make_finding (self, "timing.duty-hours", FALSE, detail);
}
