/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-check-command.h"
#include "wc-checker.h"
#include "wc-image-inspector.h"
#include "wc-keyring.h"
#include "wc-roster.h"
#include "wc-store.h"

#define SETTINGS_SCHEMA "io.github.whitecoat.Whitecoat"

typedef struct
{
  const char *path;
  gboolean    is_image;
  char       *text;           /* text files */
  GPtrArray  *findings;
} CheckedFile;

static void
checked_file_clear (CheckedFile *file)
{
  g_free (file->text);
  g_clear_pointer (&file->findings, g_ptr_array_unref);
}

/* JPEG, PNG, GIF, WebP, TIFF, HEIF and DICOM are checked as images; anything
 * else must be UTF-8 text. */
static gboolean
looks_like_image (const guint8 *data,
                  gsize         length)
{
  static const struct { gsize offset; const char *magic; gsize length; } magics[] = {
    { 0, "\xff\xd8\xff", 3 },
    { 0, "\x89PNG\r\n\x1a\n", 8 },
    { 0, "GIF8", 4 },
    { 0, "II*\0", 4 },
    { 0, "MM\0*", 4 },
    { 8, "WEBP", 4 },
    { 4, "ftyphei", 7 },
    { 4, "ftypmif1", 8 },
    { 128, "DICM", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (length >= magics[i].offset + magics[i].length
        && memcmp (data + magics[i].offset, magics[i].magic, magics[i].length) == 0)
      return TRUE;

  /* DICOM without its preamble starts with a group 0x0008 tag. */
  return length >= 8 && data[0] == 0x08 && data[1] == 0x00 && data[3] == 0x00;
}

static WcIdentityKind
default_identity (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* Run from anywhere, even where the schema is not installed. */
  if (source == NULL || (schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE)) == NULL)
    return WC_IDENTITY_PROFESSIONAL;

  settings = g_settings_new (SETTINGS_SCHEMA);
  return g_settings_get_enum (settings, "active-identity") == WC_IDENTITY_PERSONAL
         ? WC_IDENTITY_PERSONAL : WC_IDENTITY_PROFESSIONAL;
}

/* What the user has set up: identities, markers, accounts and the other
 * identity's drafts. A machine where nothing is set up yet has no database,
 * and checking a file does not create one. */
typedef struct
{
  WcIdentity      *own;
  WcIdentity      *other;
  GPtrArray       *own_accounts;
  GPtrArray       *other_accounts;
  GPtrArray       *targets;
  GStrv            other_texts;
  WcRosterMatcher *roster;
} Setup;

static void setup_clear (Setup *setup);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

static void
setup_clear (Setup *setup)
{
  g_clear_object (&setup->own);
  g_clear_object (&setup->other);
  g_clear_pointer (&setup->own_accounts, g_ptr_array_unref);
  g_clear_pointer (&setup->other_accounts, g_ptr_array_unref);
  g_clear_pointer (&setup->targets, g_ptr_array_unref);
  g_clear_pointer (&setup->other_texts, g_strfreev);
  g_clear_pointer (&setup->roster, wc_roster_matcher_unref);
}

static void
hasher_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The roster is kept as keyed hashes; the key is in the keyring. Without a
 * keyring the check goes on without the roster, and says so. */
static WcRosterMatcher *
load_roster (WcStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcHasher) hasher = NULL;
  g_autoptr(WcRosterMatcher) roster = NULL;
  g_autoptr(GError) error = NULL;

  wc_hasher_load_async (NULL, hasher_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  hasher = wc_hasher_load_finish (result, &error);
  if (hasher != NULL)
    roster = wc_roster_matcher_new_from_store (store, hasher, &error);
  if (roster == NULL)
    {
      g_printerr (_("Warning: checking without your patient roster: %s\n"), error->message);
      return NULL;
    }
  if (wc_roster_matcher_is_empty (roster))
    return NULL;
  return g_steal_pointer (&roster);
}

/* Drafts are sealed; their key is looked up in the keyring, never made
 * here. Without it the check goes on without the other identity's drafts,
 * and says so. */
static gboolean
unlock_drafts (WcStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcCryptoKey) key = NULL;
  g_autoptr(GError) error = NULL;

  wc_keyring_load_data_key_async (FALSE, NULL, hasher_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  key = wc_keyring_load_data_key_finish (result, &error);
  if (key == NULL || (!wc_store_set_data_key (store, key, &error) && !wc_store_has_data_key (store)))
    {
      g_printerr (_("Warning: checking without the drafts of your other identity: %s\n"), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
load_setup (WcIdentityKind  identity,
            Setup          *setup)
{
  g_autofree char *path = wc_store_dup_default_path ();
  g_autoptr(WcStore) store = NULL;
  g_autoptr(GError) error = NULL;
  WcIdentityKind other = wc_identity_kind_other (identity);
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  setup->targets = g_ptr_array_new ();

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    store = wc_store_open (path, &error);
  if (store == NULL)
    {
      if (error != NULL)
        g_printerr (_("Warning: cannot read your Whitecoat data (%s); checking without your identities’ markers.\n"),
                    error->message);
      setup->own = wc_identity_new (identity);
      setup->other = wc_identity_new (other);
      setup->other_texts = g_strv_builder_end (texts);
      return;
    }

  setup->own = wc_store_load_identity (store, identity, NULL);
  setup->other = wc_store_load_identity (store, other, NULL);
  setup->own_accounts = wc_store_list_accounts (store, identity, NULL);
  setup->other_accounts = wc_store_list_accounts (store, other, NULL);

  /* The networks of the identity's accounts set the length limits. */
  for (guint i = 0; setup->own_accounts && i < setup->own_accounts->len; i++)
    {
      WcNetworkInfo *info = wc_network_catalog_lookup (catalog,
        wc_account_get_network (g_ptr_array_index (setup->own_accounts, i)));

      if (info != NULL && !g_ptr_array_find (setup->targets, info, NULL))
        g_ptr_array_add (setup->targets, info);
    }

  /* Only a user who imported a roster needs the keyring for it. */
  if (wc_store_count_roster_hashes (store, WC_ROSTER_KIND_NAME) > 0
      || wc_store_count_roster_hashes (store, WC_ROSTER_KIND_HANDLE) > 0)
    setup->roster = load_roster (store);

  {
    g_autoptr(GError) drafts_error = NULL;
    g_autoptr(GPtrArray) drafts = wc_store_list_drafts (store, other, &drafts_error);

    if (drafts == NULL && g_error_matches (drafts_error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED)
        && unlock_drafts (store))
      drafts = wc_store_list_drafts (store, other, NULL);

    for (guint i = 0; drafts && i < drafts->len; i++)
      g_strv_builder_add (texts, wc_draft_get_text (g_ptr_array_index (drafts, i)));
  }
  setup->other_texts = g_strv_builder_end (texts);
}

/* 1-based line and column (in characters) of byte @offset. */
static void
offset_to_line_column (const char *text,
                       gsize       offset,
                       guint      *line,
                       guint      *column)
{
  const char *line_start = text;

  *line = 1;
  for (const char *p = text; p < text + offset; p++)
    if (*p == '\n')
      {
        (*line)++;
        line_start = p + 1;
      }
  *column = g_utf8_strlen (line_start, text + offset - line_start) + 1;
}

static void
print_text_report (WcChecker   *checker,
                   CheckedFile *files,
                   guint        n_files)
{
  for (guint f = 0; f < n_files; f++)
    {
      CheckedFile *file = &files[f];

      if (file->findings->len == 0)
        {
          g_print (_("%s: no findings\n"), file->path);
          continue;
        }

      for (guint i = 0; i < file->findings->len; i++)
        {
          WcFinding *finding = g_ptr_array_index (file->findings, i);
          const WcRule *rule = wc_checker_lookup_rule (checker, wc_finding_get_rule (finding));
          guint n_spans;
          const WcSpan *spans = wc_finding_get_spans (finding, &n_spans);
          g_autofree char *where = NULL;

          if (n_spans > 0 && file->text != NULL)
            {
              guint line, column;

              offset_to_line_column (file->text, spans[0].start, &line, &column);
              where = g_strdup_printf ("%s:%u:%u", file->path, line, column);
            }
          else
            where = g_strdup (file->path);

          g_print ("%s: %s: %s [%s] %s", where,
                   wc_severity_to_string (wc_finding_get_severity (finding)),
                   wc_finding_get_id (finding),
                   wc_finding_get_rule (finding),
                   wc_finding_get_message (finding));
          if (rule != NULL)
            g_print (" (%s)", g_dgettext (GETTEXT_PACKAGE, rule->title));
          g_print ("\n");
        }
    }
}

static void
print_json_report (WcIdentityKind  identity,
                   CheckedFile    *files,
                   guint           n_files)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "identity");
  json_builder_add_string_value (builder, wc_identity_kind_to_string (identity));
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);

  for (guint f = 0; f < n_files; f++)
    {
      CheckedFile *file = &files[f];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, file->path);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, file->is_image ? "image" : "text");
      json_builder_set_member_name (builder, "findings");
      json_builder_begin_array (builder);

      for (guint i = 0; i < file->findings->len; i++)
        {
          WcFinding *finding = g_ptr_array_index (file->findings, i);
          guint n_spans;
          const WcSpan *spans = wc_finding_get_spans (finding, &n_spans);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, wc_finding_get_id (finding));
          json_builder_set_member_name (builder, "severity");
          json_builder_add_string_value (builder, wc_severity_to_string (wc_finding_get_severity (finding)));
          json_builder_set_member_name (builder, "rule");
          json_builder_add_string_value (builder, wc_finding_get_rule (finding));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, wc_finding_get_message (finding));
          json_builder_set_member_name (builder, "spans");
          json_builder_begin_array (builder);
          for (guint s = 0; s < n_spans; s++)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "start");
              json_builder_add_int_value (builder, spans[s].start);
              json_builder_set_member_name (builder, "end");
              json_builder_add_int_value (builder, spans[s].end);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }

      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  g_print ("%s\n", json);
}

/* Reads every file before checking any, so that bad input stops the run
 * with one line on stderr and no partial report. */
static gboolean
read_input (CheckedFile  *file,
            GError      **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (file->path, &contents, &length, error))
    return FALSE;

  if (looks_like_image ((const guint8 *) contents, length))
    {
      file->is_image = TRUE;
      return TRUE;
    }

  if (!g_utf8_validate_len (contents, length, NULL))
    {
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _("%s is neither an image nor UTF-8 text"), file->path);
      return FALSE;
    }
  file->text = g_steal_pointer (&contents);
  return TRUE;
}

/**
 * wc_check_command_main:
 * @argc: the number of arguments after "check"'s own name
 * @argv: the arguments, argv[0] being "check"
 *
 * Returns: the exit status
 */
int
wc_check_command_main (int    argc,
                       char **argv)
{
  g_autofree char *identity_name = NULL;
  gboolean json = FALSE;
  g_auto(GStrv) paths = NULL;
  const GOptionEntry entries[] = {
    { "identity", 'i', 0, G_OPTION_ARG_STRING, &identity_name,
      N_("Check as this identity: personal or professional"), N_("IDENTITY") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the findings as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("FILE…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcChecker) checker = NULL;
  g_auto(Setup) setup = { NULL };
  g_autofree CheckedFile *files = NULL;
  WcIdentityKind identity;
  WcCheckContext check = { 0 };
  WcSeverity worst = WC_SEVERITY_INFO;
  guint n_files;

  g_option_context_set_summary (context,
    _("Checks text files and images for patient information, links between your identities and network limits, as Whitecoat checks drafts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("whitecoat check: %s\n", error->message);
      return WC_CHECK_EXIT_BAD_INPUT;
    }
  if (paths == NULL || paths[0] == NULL)
    {
      g_printerr ("whitecoat check: %s\n", _("name at least one file to check"));
      return WC_CHECK_EXIT_BAD_INPUT;
    }

  if (identity_name == NULL)
    identity = default_identity ();
  else if (!wc_identity_kind_from_string (identity_name, &identity))
    {
      g_printerr ("whitecoat check: %s\n", _("--identity takes “personal” or “professional”"));
      return WC_CHECK_EXIT_BAD_INPUT;
    }

  n_files = g_strv_length (paths);
  files = g_new0 (CheckedFile, n_files);
  for (guint i = 0; i < n_files; i++)
    {
      files[i].path = paths[i];
      if (!read_input (&files[i], &error))
        {
          g_printerr ("whitecoat check: %s\n", error->message);
          for (guint j = 0; j <= i; j++)
            checked_file_clear (&files[j]);
          return WC_CHECK_EXIT_BAD_INPUT;
        }
    }

  checker = wc_checker_new (&error);
  if (checker == NULL)
    g_error ("The check definitions compiled into Whitecoat are broken: %s", error->message);

  load_setup (identity, &setup);
  check.identity = identity;
  check.own = setup.own;
  check.other = setup.other;
  check.other_accounts = setup.other_accounts;
  check.targets = setup.targets;
  check.other_texts = (const char * const *) setup.other_texts;
  check.roster = setup.roster;

  for (guint i = 0; i < n_files; i++)
    {
      CheckedFile *file = &files[i];

      if (file->is_image)
        {
          g_autoptr(WcImageReport) report = wc_image_inspect_file (file->path, &error);

          if (report == NULL)
            {
              g_printerr ("whitecoat check: %s: %s\n", file->path, error->message);
              for (guint j = 0; j < n_files; j++)
                checked_file_clear (&files[j]);
              return WC_CHECK_EXIT_BAD_INPUT;
            }
          file->findings = wc_checker_check_image (checker, report, 0, NULL);
        }
      else
        file->findings = wc_checker_check_text (checker, &check, file->text);

      worst = MAX (worst, wc_findings_max_severity (file->findings));
    }

  if (json)
    print_json_report (identity, files, n_files);
  else
    print_text_report (checker, files, n_files);

  for (guint i = 0; i < n_files; i++)
    checked_file_clear (&files[i]);

  return worst >= WC_SEVERITY_WARNING ? WC_CHECK_EXIT_FINDINGS : WC_CHECK_EXIT_CLEAN;
}
