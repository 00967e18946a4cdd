/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-roster"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wc-roster.h"

typedef enum
{
  COLUMN_IGNORED,
  COLUMN_NAME,
  COLUMN_GIVEN,
  COLUMN_FAMILY,
  COLUMN_HANDLE,
  COLUMN_EMAIL,
} Column;

struct _WcRosterImport
{
  GPtrArray *rows;      /* WcRosterRow */
  GPtrArray *problems;  /* WcRosterProblem */
  gboolean   has_header;
  char       separator;
};

struct _WcRosterMatcher
{
  gatomicrefcount  ref_count;
  WcHasher        *hasher;
  GHashTable      *names;    /* set of hashes */
  GHashTable      *handles;  /* set of hashes */
};

G_DEFINE_QUARK (wc-roster-error-quark, wc_roster_error)
G_DEFINE_BOXED_TYPE (WcRosterMatcher, wc_roster_matcher, wc_roster_matcher_ref, wc_roster_matcher_unref)

/* Header words in English, Dutch, German and French, compared after
 * wc_person_normalize_words(): "E-Mail" is "e mail". */
static const struct
{
  const char *word;
  Column      column;
} header_words[] = {
  { "name", COLUMN_NAME },
  { "full name", COLUMN_NAME },
  { "patient", COLUMN_NAME },
  { "patient name", COLUMN_NAME },
  { "naam", COLUMN_NAME },
  { "volledige naam", COLUMN_NAME },
  { "naam patient", COLUMN_NAME },
  { "patientnaam", COLUMN_NAME },
  { "vollstandiger name", COLUMN_NAME },
  { "patientenname", COLUMN_NAME },
  { "nom", COLUMN_NAME },
  { "nom complet", COLUMN_NAME },
  { "nom du patient", COLUMN_NAME },
  { "first name", COLUMN_GIVEN },
  { "given name", COLUMN_GIVEN },
  { "voornaam", COLUMN_GIVEN },
  { "roepnaam", COLUMN_GIVEN },
  { "vorname", COLUMN_GIVEN },
  { "prenom", COLUMN_GIVEN },
  { "last name", COLUMN_FAMILY },
  { "surname", COLUMN_FAMILY },
  { "family name", COLUMN_FAMILY },
  { "achternaam", COLUMN_FAMILY },
  { "nachname", COLUMN_FAMILY },
  { "familienname", COLUMN_FAMILY },
  { "nom de famille", COLUMN_FAMILY },
  { "handle", COLUMN_HANDLE },
  { "username", COLUMN_HANDLE },
  { "user name", COLUMN_HANDLE },
  { "account", COLUMN_HANDLE },
  { "social media", COLUMN_HANDLE },
  { "mastodon", COLUMN_HANDLE },
  { "bluesky", COLUMN_HANDLE },
  { "gebruikersnaam", COLUMN_HANDLE },
  { "gebruiker", COLUMN_HANDLE },
  { "account naam", COLUMN_HANDLE },
  { "benutzername", COLUMN_HANDLE },
  { "konto", COLUMN_HANDLE },
  { "nom d utilisateur", COLUMN_HANDLE },
  { "identifiant", COLUMN_HANDLE },
  { "pseudo", COLUMN_HANDLE },
  { "compte", COLUMN_HANDLE },
  { "email", COLUMN_EMAIL },
  { "e mail", COLUMN_EMAIL },
  { "mail", COLUMN_EMAIL },
  { "email address", COLUMN_EMAIL },
  { "e mail address", COLUMN_EMAIL },
  { "emailadres", COLUMN_EMAIL },
  { "e mailadres", COLUMN_EMAIL },
  { "e mail adres", COLUMN_EMAIL },
  { "mailadres", COLUMN_EMAIL },
  { "e mail adresse", COLUMN_EMAIL },
  { "email adresse", COLUMN_EMAIL },
  { "courriel", COLUMN_EMAIL },
  { "adresse e mail", COLUMN_EMAIL },
  { "adresse email", COLUMN_EMAIL },
  { "adresse electronique", COLUMN_EMAIL },
};

static void
wipe_free (char *str)
{
  if (str != NULL)
    explicit_bzero (str, strlen (str));
  g_free (str);
}

static void
roster_row_free (WcRosterRow *row)
{
  wipe_free (row->name);
  wipe_free (row->handle);
  wipe_free (row->email);
  g_free (row);
}

static void
roster_problem_free (WcRosterProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
wipe_field (gpointer data)
{
  GString *field = data;

  explicit_bzero (field->str, field->allocated_len);
  g_string_free (field, TRUE);
}

static void
add_problem (WcRosterImport *self,
             guint           line,
             char           *message)
{
  WcRosterProblem *problem = g_new0 (WcRosterProblem, 1);

  problem->line = line;
  problem->message = message;
  g_ptr_array_add (self->problems, problem);
}

/* CSV (RFC 4180) */

static gboolean
at_newline (const char *p,
            const char *end)
{
  return p < end && (*p == '\n' || *p == '\r');
}

static const char *
skip_newline (const char *p,
              const char *end,
              guint      *line)
{
  if (*p == '\r' && p + 1 < end && p[1] == '\n')
    p++;
  (*line)++;
  return p + 1;
}

/* Reads one record into @fields (GString each). Returns FALSE at the end
 * of the data; sets @unclosed when a quoted field runs to the end. */
static gboolean
read_record (const char **pos,
             const char  *end,
             char         separator,
             guint       *line,
             GPtrArray   *fields,
             gboolean    *unclosed)
{
  const char *p = *pos;

  g_ptr_array_set_size (fields, 0);
  *unclosed = FALSE;
  if (p >= end)
    return FALSE;

  for (;;)
    {
      GString *field = g_string_new (NULL);
      const char *q = p;

      g_ptr_array_add (fields, field);

      /* Spaces before an opening quote are tolerated. */
      while (q < end && (*q == ' ' || *q == '\t') && *q != separator)
        q++;
      if (q < end && *q == '"')
        {
          p = q + 1;
          for (;;)
            {
              if (p >= end)
                {
                  *unclosed = TRUE;
                  *pos = end;
                  return TRUE;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              if (*p == '\r' || *p == '\n')
                {
                  const char *next = skip_newline (p, end, line);
                  g_string_append_len (field, p, next - p);
                  p = next;
                  continue;
                }
              g_string_append_c (field, *p++);
            }
          /* Anything between the closing quote and the separator is kept. */
          while (p < end && *p != separator && !at_newline (p, end))
            g_string_append_c (field, *p++);
        }
      else
        {
          while (p < end && *p != separator && !at_newline (p, end))
            g_string_append_c (field, *p++);
        }

      if (p >= end)
        {
          *pos = end;
          return TRUE;
        }
      if (*p == separator)
        {
          p++;
          continue;
        }
      *pos = skip_newline (p, end, line);
      return TRUE;
    }
}

/* Dutch and German spreadsheet programs write ';' where a ',' is the
 * decimal comma; tabs come from copying cells. The separator that is most
 * frequent in the first record, outside quotes, wins. */
static char
detect_separator (const char *p,
                  const char *end)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\n' || *p == '\r')
        break;
      else if (*p == ',')
        commas++;
      else if (*p == ';')
        semicolons++;
      else if (*p == '\t')
        tabs++;
    }
  if (semicolons > commas && semicolons >= tabs)
    return ';';
  if (tabs > commas && tabs > semicolons)
    return '\t';
  return ',';
}

static Column
header_column (const char *cell)
{
  g_autofree char *normal = wc_person_normalize_words (cell);

  for (guint i = 0; i < G_N_ELEMENTS (header_words); i++)
    if (strcmp (normal, header_words[i].word) == 0)
      return header_words[i].column;
  return COLUMN_IGNORED;
}

static char *
trimmed_or_null (GString *field)
{
  g_autofree char *copy = g_strndup (field->str, field->len);

  g_strstrip (copy);
  if (*copy == '\0')
    return NULL;
  return g_steal_pointer (&copy);
}

static gboolean
fields_valid_utf8 (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      GString *field = g_ptr_array_index (fields, i);

      if (!g_utf8_validate (field->str, field->len, NULL))
        return FALSE;
    }
  return TRUE;
}

static guint
n_filled (GPtrArray *fields)
{
  guint n = 0;

  for (guint i = 0; i < fields->len; i++)
    {
      GString *field = g_ptr_array_index (fields, i);

      for (gsize j = 0; j < field->len; j++)
        if (!g_ascii_isspace (field->str[j]))
          {
            n = i + 1;
            break;
          }
    }
  return n;  /* one past the last filled field */
}

/* A header names at least one column we know and holds no e-mail address. */
static gboolean
read_header (GPtrArray *fields,
             GArray    *columns)
{
  gboolean known = FALSE;
  gboolean given = FALSE, family = FALSE;

  g_array_set_size (columns, 0);
  for (guint i = 0; i < fields->len; i++)
    {
      GString *field = g_ptr_array_index (fields, i);
      Column column = header_column (field->str);

      if (strchr (field->str, '@') != NULL)
        return FALSE;
      known |= column != COLUMN_IGNORED;
      given |= column == COLUMN_GIVEN;
      family |= column == COLUMN_FAMILY;
      g_array_append_val (columns, column);
    }

  /* "prénom; nom": with a given-name column, "name" is the family name. */
  if (given && !family)
    for (guint i = 0; i < columns->len; i++)
      if (g_array_index (columns, Column, i) == COLUMN_NAME)
        g_array_index (columns, Column, i) = COLUMN_FAMILY;

  return known;
}

static void
add_row (WcRosterImport *self,
         GPtrArray      *fields,
         GArray         *columns,
         guint           line)
{
  g_autoptr(GString) given = g_string_new (NULL);
  g_autoptr(GString) family = g_string_new (NULL);
  WcRosterRow *row;
  guint filled = n_filled (fields);

  if (filled == 0)
    return;  /* an empty row is skipped, not an error */

  if (!fields_valid_utf8 (fields))
    {
      add_problem (self, line,
                   g_strdup_printf (_("Line %u is not valid UTF-8 text. Save the file as “CSV UTF-8” and import it again."),
                                    line));
      return;
    }

  if (filled > columns->len)
    {
      add_problem (self, line,
                   g_strdup_printf (_("Line %u has more columns than the roster has (name, handle, e-mail)."),
                                    line));
      return;
    }

  row = g_new0 (WcRosterRow, 1);
  row->line = line;
  for (guint i = 0; i < filled; i++)
    {
      char *value = trimmed_or_null (g_ptr_array_index (fields, i));
      char **slot = NULL;

      if (value == NULL)
        continue;
      switch (g_array_index (columns, Column, i))
        {
        case COLUMN_NAME:
          slot = &row->name;
          break;
        case COLUMN_HANDLE:
          slot = &row->handle;
          break;
        case COLUMN_EMAIL:
          slot = &row->email;
          break;
        case COLUMN_GIVEN:
          g_string_append_printf (given, "%s%s", given->len ? " " : "", value);
          break;
        case COLUMN_FAMILY:
          g_string_append_printf (family, "%s%s", family->len ? " " : "", value);
          break;
        case COLUMN_IGNORED:
        default:
          break;
        }
      if (slot != NULL && *slot == NULL)
        *slot = value;
      else
        wipe_free (value);
    }

  if (row->name == NULL && (given->len > 0 || family->len > 0))
    row->name = g_strstrip (g_strdup_printf ("%s %s", given->str, family->str));
  explicit_bzero (given->str, given->allocated_len);
  explicit_bzero (family->str, family->allocated_len);

  if (row->name == NULL && row->handle == NULL && row->email == NULL)
    {
      roster_row_free (row);
      return;
    }

  if (row->email != NULL && !wc_person_email_is_valid (row->email))
    {
      add_problem (self, line, g_strdup_printf (_("Line %u: the e-mail address is not valid."), line));
      roster_row_free (row);
      return;
    }
  if (row->handle != NULL)
    {
      g_autofree char *normal = wc_person_normalize_handle (row->handle);

      if (normal == NULL)
        {
          add_problem (self, line, g_strdup_printf (_("Line %u: the handle is not valid."), line));
          roster_row_free (row);
          return;
        }
    }
  if (row->name != NULL)
    {
      g_autofree char *words = wc_person_normalize_words (row->name);

      if (*words == '\0')
        {
          add_problem (self, line, g_strdup_printf (_("Line %u: the name has no letters."), line));
          roster_row_free (row);
          return;
        }
    }

  g_ptr_array_add (self->rows, row);
}

/**
 * wc_roster_parse:
 * @data: the file's bytes: UTF-8, with or without a byte-order mark
 * @length: their length, or -1 when NUL-terminated
 *
 * Reads a roster file: columns name, handle, e-mail (each may be empty),
 * separated by ',' or ';' (or tabs), quoted as RFC 4180 allows. A first row
 * of column names (English, Dutch, German or French) sets the order of the
 * columns. Rows with nothing in them are skipped. Nothing is stored.
 *
 * Returns: (transfer full): the rows and the problems, with line numbers
 */
WcRosterImport *
wc_roster_parse (const char *data,
                 gssize      length)
{
  WcRosterImport *self = g_new0 (WcRosterImport, 1);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (wipe_field);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (Column));
  const char *p = data;
  const char *end;
  guint line = 1;
  gboolean first = TRUE;

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_row_free);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_problem_free);

  if (data == NULL)
    return self;
  if (length < 0)
    length = strlen (data);
  end = data + length;

  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  self->separator = detect_separator (p, end);

  {
    Column defaults[] = { COLUMN_NAME, COLUMN_HANDLE, COLUMN_EMAIL };
    g_array_append_vals (columns, defaults, G_N_ELEMENTS (defaults));
  }

  for (;;)
    {
      guint record_line = line;
      gboolean unclosed = FALSE;

      if (!read_record (&p, end, self->separator, &line, fields, &unclosed))
        break;
      if (unclosed)
        {
          add_problem (self, record_line,
                       g_strdup_printf (_("Line %u opens a quotation mark that is never closed."),
                                        record_line));
          break;
        }
      if (n_filled (fields) == 0)
        continue;

      if (first)
        {
          first = FALSE;
          if (fields_valid_utf8 (fields))
            {
              g_autoptr(GArray) header = g_array_new (FALSE, FALSE, sizeof (Column));

              if (read_header (fields, header))
                {
                  self->has_header = TRUE;
                  g_array_set_size (columns, 0);
                  g_array_append_vals (columns, header->data, header->len);
                  continue;
                }
            }
        }

      add_row (self, fields, columns, record_line);
    }

  return self;
}

void
wc_roster_import_free (WcRosterImport *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/**
 * wc_roster_import_get_rows:
 *
 * Returns: (transfer none) (element-type WcRosterRow): the good rows, for
 *   the preview
 */
GPtrArray *
wc_roster_import_get_rows (WcRosterImport *self)
{
  return self->rows;
}

/**
 * wc_roster_import_get_problems:
 *
 * Returns: (transfer none) (element-type WcRosterProblem): the bad rows, in
 *   the order of the file
 */
GPtrArray *
wc_roster_import_get_problems (WcRosterImport *self)
{
  return self->problems;
}

gboolean
wc_roster_import_get_has_header (WcRosterImport *self)
{
  return self->has_header;
}

char
wc_roster_import_get_separator (WcRosterImport *self)
{
  return self->separator;
}

static void
clear_roster_hash (gpointer data)
{
  WcRosterHash *hash = data;

  g_free ((char *) hash->hash);
}

static void
append_hash (GArray       *hashes,
             WcHasher     *hasher,
             WcRosterKind  kind,
             const char   *normal)
{
  WcRosterHash hash = { kind, wc_hasher_hash (hasher, normal) };

  g_array_append_val (hashes, hash);
}

/**
 * wc_roster_entry_hashes:
 * @name: (nullable): the patient's name
 * @handle: (nullable): a handle or profile link
 * @email: (nullable): an e-mail address
 *
 * Returns: (transfer full) (element-type WcRosterHash): the hashes that
 *   stand for the entry: every variant of the name, the handle, the e-mail
 */
GArray *
wc_roster_entry_hashes (WcHasher   *hasher,
                        const char *name,
                        const char *handle,
                        const char *email)
{
  GArray *hashes = g_array_new (FALSE, FALSE, sizeof (WcRosterHash));

  g_array_set_clear_func (hashes, clear_roster_hash);

  if (name != NULL)
    {
      g_auto(GStrv) variants = wc_person_name_variants (name);

      for (guint i = 0; variants[i] != NULL; i++)
        append_hash (hashes, hasher, WC_ROSTER_KIND_NAME, variants[i]);
      for (guint i = 0; variants[i] != NULL; i++)
        explicit_bzero (variants[i], strlen (variants[i]));
    }
  if (handle != NULL)
    {
      g_autofree char *normal = wc_person_normalize_handle (handle);

      if (normal != NULL)
        append_hash (hashes, hasher, WC_ROSTER_KIND_HANDLE, normal);
    }
  if (email != NULL)
    {
      g_autofree char *normal = wc_person_normalize_email (email);

      if (normal != NULL)
        append_hash (hashes, hasher, WC_ROSTER_KIND_EMAIL, normal);
    }
  return hashes;
}

/**
 * wc_roster_import_store:
 *
 * Stores the hashes of every row in one transaction. A file with any
 * problem is refused as a whole: nothing is imported half.
 *
 * Returns: whether the roster was imported
 */
gboolean
wc_roster_import_store (WcRosterImport  *self,
                        WcStore         *store,
                        WcHasher        *hasher,
                        GError         **error)
{
  g_autoptr(GArray) all = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (WC_IS_STORE (store), FALSE);
  g_return_val_if_fail (hasher != NULL, FALSE);

  if (self->problems->len > 0)
    {
      g_set_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u row of the file has a problem, so nothing was imported. Correct it and import the file again.",
                                "%u rows of the file have a problem, so nothing was imported. Correct them and import the file again.",
                                self->problems->len),
                   self->problems->len);
      return FALSE;
    }
  if (self->rows->len == 0)
    {
      g_set_error_literal (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_EMPTY,
                           _("The file holds no names, handles or e-mail addresses."));
      return FALSE;
    }

  all = g_array_new (FALSE, FALSE, sizeof (WcRosterHash));
  g_array_set_clear_func (all, clear_roster_hash);
  for (guint i = 0; i < self->rows->len; i++)
    {
      WcRosterRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GArray) hashes = wc_roster_entry_hashes (hasher, row->name, row->handle, row->email);

      /* Move the strings: the clear function of @hashes must not free them. */
      g_array_append_vals (all, hashes->data, hashes->len);
      g_array_set_clear_func (hashes, NULL);
    }

  g_debug ("Importing a roster of %u entries", self->rows->len);
  return wc_store_add_roster_hashes (store, (const WcRosterHash *) (gpointer) all->data, all->len, error);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
entry_is_empty (const char *name,
                const char *handle,
                const char *email,
                GError    **error)
{
  g_autofree char *words = name != NULL ? wc_person_normalize_words (name) : NULL;
  g_autofree char *normal_handle = wc_person_normalize_handle (handle);
  g_autofree char *normal_email = wc_person_normalize_email (email);

  if ((words == NULL || *words == '\0') && normal_handle == NULL && normal_email == NULL)
    {
      g_set_error_literal (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_EMPTY,
                           _("Enter a name, a handle or an e-mail address."));
      return TRUE;
    }
  if (email != NULL && normal_email != NULL && !wc_person_email_is_valid (email))
    {
      g_set_error_literal (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID,
                           _("The e-mail address is not valid."));
      return TRUE;
    }
  if (handle != NULL && normal_handle == NULL && !is_blank (handle))
    {
      g_set_error_literal (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID,
                           _("The handle is not valid."));
      return TRUE;
    }
  return FALSE;
}

/**
 * wc_roster_add_entry:
 *
 * Adds one patient to the roster.
 */
gboolean
wc_roster_add_entry (WcStore     *store,
                     WcHasher    *hasher,
                     const char  *name,
                     const char  *handle,
                     const char  *email,
                     GError     **error)
{
  g_autoptr(GArray) hashes = NULL;

  g_return_val_if_fail (WC_IS_STORE (store), FALSE);
  g_return_val_if_fail (hasher != NULL, FALSE);

  if (entry_is_empty (name, handle, email, error))
    return FALSE;
  hashes = wc_roster_entry_hashes (hasher, name, handle, email);
  return wc_store_add_roster_hashes (store, (const WcRosterHash *) (gpointer) hashes->data, hashes->len, error);
}

/**
 * wc_roster_remove_entry:
 *
 * Removes one patient, typed as when added: only hashes are stored, so the
 * roster cannot be listed.
 */
gboolean
wc_roster_remove_entry (WcStore     *store,
                        WcHasher    *hasher,
                        const char  *name,
                        const char  *handle,
                        const char  *email,
                        GError     **error)
{
  g_autoptr(GArray) hashes = NULL;

  g_return_val_if_fail (WC_IS_STORE (store), FALSE);
  g_return_val_if_fail (hasher != NULL, FALSE);

  if (entry_is_empty (name, handle, email, error))
    return FALSE;
  hashes = wc_roster_entry_hashes (hasher, name, handle, email);
  return wc_store_remove_roster_hashes (store, (const WcRosterHash *) (gpointer) hashes->data, hashes->len, error);
}

/**
 * wc_roster_forget:
 *
 * Removes the whole roster.
 */
gboolean
wc_roster_forget (WcStore  *store,
                  GError  **error)
{
  return wc_store_forget_roster (store, error);
}

/* Matching */

/**
 * wc_roster_matcher_new:
 * @names: (element-type utf8 utf8) (nullable): the set of name hashes
 *   (wc_store_list_roster_hashes())
 * @handles: (element-type utf8 utf8) (nullable): the set of handle hashes
 *
 * Returns: (transfer full): a matcher holding references to both sets
 */
WcRosterMatcher *
wc_roster_matcher_new (WcHasher   *hasher,
                       GHashTable *names,
                       GHashTable *handles)
{
  WcRosterMatcher *self;

  g_return_val_if_fail (hasher != NULL, NULL);

  self = g_new0 (WcRosterMatcher, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->hasher = wc_hasher_ref (hasher);
  self->names = names ? g_hash_table_ref (names) : g_hash_table_new (g_str_hash, g_str_equal);
  self->handles = handles ? g_hash_table_ref (handles) : g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

/**
 * wc_roster_matcher_new_from_store:
 *
 * Returns: (transfer full): a matcher for the stored roster, or %NULL
 */
WcRosterMatcher *
wc_roster_matcher_new_from_store (WcStore   *store,
                                  WcHasher  *hasher,
                                  GError   **error)
{
  g_autoptr(GHashTable) names = wc_store_list_roster_hashes (store, WC_ROSTER_KIND_NAME, error);
  g_autoptr(GHashTable) handles = NULL;

  if (names == NULL)
    return NULL;
  handles = wc_store_list_roster_hashes (store, WC_ROSTER_KIND_HANDLE, error);
  if (handles == NULL)
    return NULL;
  return wc_roster_matcher_new (hasher, names, handles);
}

WcRosterMatcher *
wc_roster_matcher_ref (WcRosterMatcher *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_roster_matcher_unref (WcRosterMatcher *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  wc_hasher_unref (self->hasher);
  g_hash_table_unref (self->names);
  g_hash_table_unref (self->handles);
  g_free (self);
}

gboolean
wc_roster_matcher_is_empty (WcRosterMatcher *self)
{
  return g_hash_table_size (self->names) == 0 && g_hash_table_size (self->handles) == 0;
}

static gboolean
contains_hash (WcRosterMatcher *self,
               GHashTable      *set,
               const char      *normal,
               gsize            length)
{
  g_autofree char *hash = wc_hasher_hash_len (self->hasher, normal, length);

  return g_hash_table_contains (set, hash);
}

static void
add_hit (const WcFoldedText *folded,
         gsize               start,
         gsize               end,
         GArray             *hits)
{
  WcHit hit = { "phi.roster-name", wc_folded_text_to_original (folded, start, end), FALSE };

  g_array_append_val (hits, hit);
}

static void
match_names (WcRosterMatcher    *self,
             const WcFoldedText *folded,
             GArray             *hits)
{
  const char *text = wc_folded_text_get_text (folded);
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  g_autoptr(GString) phrase = g_string_sized_new (128);
  const char *p = text;

  /* Words are runs of letters and digits, as in wc_person_normalize_words(). */
  while (*p)
    {
      WcSpan word;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (!*p)
        break;
      word.start = p - text;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      word.end = p - text;
      g_array_append_val (words, word);
    }

  for (guint i = 0; i < words->len; i++)
    {
      guint longest = 0;

      g_string_truncate (phrase, 0);
      for (guint n = 1; n <= WC_ROSTER_MAX_WORDS && i + n <= words->len; n++)
        {
          WcSpan *word = &g_array_index (words, WcSpan, i + n - 1);

          if (n > 1)
            g_string_append_c (phrase, ' ');
          g_string_append_len (phrase, text + word->start, word->end - word->start);
          if (contains_hash (self, self->names, phrase->str, phrase->len))
            longest = n;
        }
      if (longest > 0)
        {
          add_hit (folded, g_array_index (words, WcSpan, i).start,
                   g_array_index (words, WcSpan, i + longest - 1).end, hits);
          i += longest - 1;
        }
    }
  explicit_bzero (phrase->str, phrase->allocated_len);
}

static gboolean
is_handle_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || c == '.' || c == '-' || c == '@';
}

/* Mentions: "@anna@med.example", "@anna.bsky.social". */
static void
match_handles (WcRosterMatcher    *self,
               const WcFoldedText *folded,
               GArray             *hits)
{
  const char *text = wc_folded_text_get_text (folded);

  for (const char *at = strchr (text, '@'); at != NULL; at = strchr (at + 1, '@'))
    {
      const char *p = at + 1;
      g_autofree char *candidate = NULL;
      g_autofree char *normal = NULL;

      if (at > text)
        {
          const char *prev = g_utf8_find_prev_char (text, at);

          if (prev != NULL && is_handle_char (g_utf8_get_char (prev)))
            continue;  /* inside an address, not at its start */
        }
      while (*p && is_handle_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      while (p > at + 1 && (p[-1] == '.' || p[-1] == '-' || p[-1] == '@'))
        p--;
      if (p == at + 1)
        continue;

      candidate = g_strndup (at, p - at);
      normal = wc_person_normalize_handle (candidate);
      if (normal != NULL && contains_hash (self, self->handles, normal, strlen (normal)))
        add_hit (folded, at - text, p - text, hits);
      at = p - 1;
    }
}

/**
 * wc_roster_matcher_run_folded:
 * @folded: the draft, folded (wc_folded_text_new())
 * @hits: (element-type WcHit): where "phi.roster-name" hits are appended,
 *   with spans in the original text
 *
 * Hashes every run of one to %WC_ROSTER_MAX_WORDS words of the draft, and
 * every mention, and reports those on the roster; at each place the longest
 * run wins.
 */
void
wc_roster_matcher_run_folded (WcRosterMatcher    *self,
                              const WcFoldedText *folded,
                              GArray             *hits)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (folded != NULL);
  g_return_if_fail (hits != NULL);

  if (g_hash_table_size (self->names) > 0)
    match_names (self, folded, hits);
  if (g_hash_table_size (self->handles) > 0)
    match_handles (self, folded, hits);
}

/**
 * wc_roster_matcher_run:
 * @text: the draft (UTF-8)
 * @hits: (element-type WcHit): see wc_roster_matcher_run_folded()
 */
void
wc_roster_matcher_run (WcRosterMatcher *self,
                       const char      *text,
                       GArray          *hits)
{
  g_autoptr(WcFoldedText) folded = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  if (wc_roster_matcher_is_empty (self))
    return;
  folded = wc_folded_text_new (text);
  wc_roster_matcher_run_folded (self, folded, hits);
}
