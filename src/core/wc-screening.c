/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-screening"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wc-roster.h"
#include "wc-screening.h"
#include "wc-store-requests.h"
#include "wc-text.h"
#include "wc-util.h"

struct _WcScreening
{
  gatomicrefcount     ref_count;
  WcScreeningVerdict  verdict;
  GPtrArray          *signals;      /* WcScreeningSignal */
  char               *person_hash;  /* nullable */
};

typedef struct
{
  WcMarkerKind  kind;
  char         *value;   /* as the doctor wrote it */
  char         *words;   /* " st elsewhere hospital ": folded, punctuation gone */
} Marker;

struct _WcScreener
{
  gatomicrefcount  ref_count;
  WcHasher        *hasher;         /* nullable: no roster or tags then */
  GHashTable      *names;          /* roster hashes, sets */
  GHashTable      *handles;
  GHashTable      *emails;
  WcRosterMatcher *matcher;        /* on names and handles */
  GHashTable      *tags;           /* hash → GINT_TO_POINTER (WcPersonTag) */
  GHashTable      *not_patients;   /* set of hashes */
  GPtrArray       *markers;        /* Marker */
  GHashTable      *contacts[3];    /* normalised handle → account title; per contact kind */
  gint64           now;            /* 0: the real time */
};

G_DEFINE_BOXED_TYPE (WcScreening, wc_screening, wc_screening_ref, wc_screening_unref)
G_DEFINE_BOXED_TYPE (WcScreener, wc_screener, wc_screener_ref, wc_screener_unref)

/* The professional marker kinds a requester's profile is searched for:
 * where the doctor works and what they do, as a patient would mention. */
static const WcMarkerKind searched_markers[] = {
  WC_MARKER_ORGANISATION,
  WC_MARKER_SPECIALTY,
  WC_MARKER_DOMAIN,
};

static guint
contact_index (WcSignalKind kind)
{
  switch (kind)
    {
    case WC_SIGNAL_FOLLOWS_PROFESSIONAL:
      return 0;
    case WC_SIGNAL_FOLLOWED_BY_PROFESSIONAL:
      return 1;
    case WC_SIGNAL_INTERACTED_PROFESSIONAL:
      return 2;
    default:
      g_return_val_if_reached (0);
    }
}

static void
signal_free (WcScreeningSignal *signal)
{
  g_free (signal->reason);
  g_free (signal);
}

static void
marker_free (Marker *marker)
{
  g_free (marker->value);
  g_free (marker->words);
  g_free (marker);
}

static void
add_signal (WcScreening      *screening,
            WcSignalKind      kind,
            WcSignalStrength  strength,
            char             *reason)
{
  WcScreeningSignal *signal = g_new0 (WcScreeningSignal, 1);

  signal->kind = kind;
  signal->strength = strength;
  signal->reason = reason;
  g_ptr_array_add (screening->signals, signal);
}

/* Text */

static void
append_entity (GString    *out,
               const char *entity,
               gsize       length)
{
  static const struct { const char *name; gunichar c; } named[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
    { "apos", '\'' }, { "nbsp", ' ' },
  };

  if (length > 1 && entity[0] == '#')
    {
      guint64 code = 0;
      gboolean ok;

      if (entity[1] == 'x' || entity[1] == 'X')
        {
          g_autofree char *digits = g_strndup (entity + 2, length - 2);
          ok = g_ascii_string_to_unsigned (digits, 16, 1, 0x10FFFF, &code, NULL);
        }
      else
        {
          g_autofree char *digits = g_strndup (entity + 1, length - 1);
          ok = g_ascii_string_to_unsigned (digits, 10, 1, 0x10FFFF, &code, NULL);
        }
      if (ok && g_unichar_validate ((gunichar) code))
        {
          g_string_append_unichar (out, (gunichar) code);
          return;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (strlen (named[i].name) == length && strncmp (entity, named[i].name, length) == 0)
      {
        g_string_append_unichar (out, named[i].c);
        return;
      }
  g_string_append_c (out, '&');
  g_string_append_len (out, entity, length);
  g_string_append_c (out, ';');
}

/**
 * wc_screening_html_to_text:
 * @html: (nullable): a Mastodon bio or field value: HTML, or plain text
 *
 * Returns: (transfer full): the text without tags, entities decoded; a
 *   paragraph or line break becomes a new line
 */
char *
wc_screening_html_to_text (const char *html)
{
  GString *out = g_string_new (NULL);

  for (const char *p = html; p != NULL && *p; )
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');

          if (end == NULL)
            break;
          if (g_ascii_strncasecmp (p, "<br", 3) == 0 || g_ascii_strncasecmp (p, "</p", 3) == 0)
            g_string_append_c (out, '\n');
          p = end + 1;
        }
      else if (*p == '&')
        {
          const char *end = strchr (p, ';');

          if (end != NULL && end - p <= 10)
            {
              append_entity (out, p + 1, end - p - 1);
              p = end + 1;
            }
          else
            g_string_append_c (out, *p++);
        }
      else
        g_string_append_c (out, *p++);
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      g_string_free (out, TRUE);
      return g_strdup ("");
    }
  return g_strstrip (g_string_free (out, FALSE));
}

/**
 * wc_screening_subject_set_typed:
 * @typed: what the user typed about someone who asked: a name, a handle or
 *   an e-mail address
 *
 * Fills @subject from @typed (which must outlive it): an e-mail address, a
 * handle ("@anna@med.example", "anna.bsky.social", a profile link) or else
 * a name.
 */
void
wc_screening_subject_set_typed (WcScreeningSubject *subject,
                                const char         *typed)
{
  g_autofree char *handle = NULL;
  const char *p;

  g_return_if_fail (subject != NULL);

  subject->display_name = NULL;
  subject->handle = NULL;
  subject->email = NULL;
  if (typed == NULL)
    return;

  for (p = typed; g_ascii_isspace (*p); p++)
    ;
  if (*p != '@' && wc_person_email_is_valid (typed))
    {
      subject->email = typed;
      return;
    }
  handle = wc_person_normalize_handle (typed);
  if (handle != NULL && (strchr (typed, '@') != NULL || strstr (typed, "://") != NULL
                         || (strchr (handle, '.') != NULL && strchr (typed, ' ') == NULL)))
    {
      subject->handle = typed;
      return;
    }
  subject->display_name = typed;
}

/* The screening */

WcScreening *
wc_screening_ref (WcScreening *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_screening_unref (WcScreening *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->signals);
  g_free (self->person_hash);
  g_free (self);
}

WcScreeningVerdict
wc_screening_get_verdict (WcScreening *self)
{
  g_return_val_if_fail (self != NULL, WC_SCREENING_NO_SIGN);
  return self->verdict;
}

/**
 * wc_screening_get_signals:
 *
 * Returns: (transfer none) (element-type WcScreeningSignal): the signals,
 *   strongest first
 */
GPtrArray *
wc_screening_get_signals (WcScreening *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->signals;
}

gboolean
wc_screening_has_signal (WcScreening  *self,
                         WcSignalKind  kind)
{
  g_return_val_if_fail (self != NULL, FALSE);
  for (guint i = 0; i < self->signals->len; i++)
    if (((WcScreeningSignal *) g_ptr_array_index (self->signals, i))->kind == kind)
      return TRUE;
  return FALSE;
}

/**
 * wc_screening_get_person_hash:
 *
 * Returns: (nullable): the keyed hash that stands for the person in person
 *   tags and the audit log; %NULL without a hasher
 */
const char *
wc_screening_get_person_hash (WcScreening *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->person_hash;
}

/**
 * wc_screening_dup_summary:
 *
 * Returns: (transfer full): the verdict and its reasons in one paragraph,
 *   for the audit log; without the person's name
 */
char *
wc_screening_dup_summary (WcScreening *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  out = g_string_new (wc_screening_verdict_get_label (self->verdict));
  for (guint i = 0; i < self->signals->len; i++)
    {
      WcScreeningSignal *signal = g_ptr_array_index (self->signals, i);

      g_string_append_c (out, i == 0 ? ':' : ';');
      g_string_append_c (out, ' ');
      g_string_append (out, signal->reason);
    }
  return g_string_free (out, FALSE);
}

/**
 * wc_screening_verdict_get_label:
 *
 * Returns: the verdict in plain words, translated
 */
const char *
wc_screening_verdict_get_label (WcScreeningVerdict verdict)
{
  switch (verdict)
    {
    case WC_SCREENING_LOOKS_LIKE:
      return _("Looks like a patient");
    case WC_SCREENING_MAY_BE:
      return _("May be a patient");
    case WC_SCREENING_NO_SIGN:
      return _("No sign of a patient");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
wc_screening_verdict_to_string (WcScreeningVerdict verdict)
{
  switch (verdict)
    {
    case WC_SCREENING_LOOKS_LIKE:
      return "looks-like";
    case WC_SCREENING_MAY_BE:
      return "may-be";
    case WC_SCREENING_NO_SIGN:
      return "no-sign";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The screener */

/**
 * wc_screener_new:
 * @hasher: (nullable): the doctor's hasher; without it the roster and the
 *   tags cannot be read, and the screening says so by their absence
 *
 * Returns: (transfer full): a screener that knows nothing yet
 */
WcScreener *
wc_screener_new (WcHasher *hasher)
{
  WcScreener *self = g_new0 (WcScreener, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->hasher = hasher != NULL ? wc_hasher_ref (hasher) : NULL;
  self->markers = g_ptr_array_new_with_free_func ((GDestroyNotify) marker_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->contacts); i++)
    self->contacts[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

WcScreener *
wc_screener_ref (WcScreener *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_screener_unref (WcScreener *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->hasher, wc_hasher_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->handles, g_hash_table_unref);
  g_clear_pointer (&self->emails, g_hash_table_unref);
  g_clear_pointer (&self->matcher, wc_roster_matcher_unref);
  g_clear_pointer (&self->tags, g_hash_table_unref);
  g_clear_pointer (&self->not_patients, g_hash_table_unref);
  g_ptr_array_unref (self->markers);
  for (guint i = 0; i < G_N_ELEMENTS (self->contacts); i++)
    g_hash_table_unref (self->contacts[i]);
  g_free (self);
}

gboolean
wc_screener_get_has_hasher (WcScreener *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->hasher != NULL;
}

/**
 * wc_screener_set_now:
 * @now: seconds since the epoch, or 0 for the real time
 *
 * The time "new account" is measured against.
 */
void
wc_screener_set_now (WcScreener *self,
                     gint64      now)
{
  g_return_if_fail (self != NULL);
  self->now = now;
}

/**
 * wc_screener_set_roster:
 * @names: (nullable): the set of roster name hashes (wc_store_list_roster_hashes())
 * @handles: (nullable): the set of handle hashes
 * @emails: (nullable): the set of e-mail hashes
 */
void
wc_screener_set_roster (WcScreener *self,
                        GHashTable *names,
                        GHashTable *handles,
                        GHashTable *emails)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->handles, g_hash_table_unref);
  g_clear_pointer (&self->emails, g_hash_table_unref);
  g_clear_pointer (&self->matcher, wc_roster_matcher_unref);
  self->names = names != NULL ? g_hash_table_ref (names) : NULL;
  self->handles = handles != NULL ? g_hash_table_ref (handles) : NULL;
  self->emails = emails != NULL ? g_hash_table_ref (emails) : NULL;
  if (self->hasher != NULL)
    self->matcher = wc_roster_matcher_new (self->hasher, names, handles);
}

/**
 * wc_screener_set_tags:
 * @tags: (nullable): person tags (wc_store_load_person_tags())
 * @not_patients: (nullable): people the doctor said are not patients
 *   (wc_store_load_not_patients())
 */
void
wc_screener_set_tags (WcScreener *self,
                      GHashTable *tags,
                      GHashTable *not_patients)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->tags, g_hash_table_unref);
  g_clear_pointer (&self->not_patients, g_hash_table_unref);
  self->tags = tags != NULL ? g_hash_table_ref (tags) : NULL;
  self->not_patients = not_patients != NULL ? g_hash_table_ref (not_patients) : NULL;
}

/**
 * wc_screener_add_marker:
 * @kind: what the marker says; only organisations, specialties and
 *   domains are looked for in a requester's profile
 * @value: the marker as the doctor wrote it: "St. Elsewhere Hospital"
 */
void
wc_screener_add_marker (WcScreener   *self,
                        WcMarkerKind  kind,
                        const char   *value)
{
  Marker *marker;
  gboolean searched = FALSE;

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (searched_markers); i++)
    searched |= searched_markers[i] == kind;
  if (!searched || value == NULL || wc_text_is_blank (value))
    return;

  marker = g_new0 (Marker, 1);
  marker->kind = kind;
  marker->value = g_strstrip (g_strdup (value));
  {
    g_autofree char *words = wc_person_normalize_words (marker->value);

    marker->words = g_strconcat (" ", words, " ", NULL);
  }
  if (g_utf8_strlen (marker->words, -1) < 5)
    {
      /* Two letters find too much ("ER", "GP") to mean anything. */
      marker_free (marker);
      return;
    }
  g_ptr_array_add (self->markers, marker);
}

/**
 * wc_screener_add_professional_contact:
 * @handle: someone in contact with a professional account
 * @kind: %WC_SIGNAL_FOLLOWS_PROFESSIONAL, %WC_SIGNAL_FOLLOWED_BY_PROFESSIONAL
 *   or %WC_SIGNAL_INTERACTED_PROFESSIONAL
 * @account_title: the professional account, as the reason names it
 */
void
wc_screener_add_professional_contact (WcScreener   *self,
                                      const char   *handle,
                                      WcSignalKind  kind,
                                      const char   *account_title)
{
  char *normal;
  GHashTable *table;

  g_return_if_fail (self != NULL);
  g_return_if_fail (account_title != NULL);

  normal = wc_person_normalize_handle (handle);
  if (normal == NULL)
    return;
  table = self->contacts[contact_index (kind)];
  if (g_hash_table_contains (table, normal))
    g_free (normal);
  else
    g_hash_table_insert (table, normal, g_strdup (account_title));
}

/**
 * wc_screener_add_professional_followers:
 * @snapshot: the followers of a professional account
 * @account_title: that account, as the reason names it
 */
void
wc_screener_add_professional_followers (WcScreener               *self,
                                        const WcFollowerSnapshot *snapshot,
                                        const char               *account_title)
{
  const WcFollower *followers;
  guint n = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (snapshot != NULL);

  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  for (guint i = 0; i < n; i++)
    wc_screener_add_professional_contact (self, followers[i].ref, WC_SIGNAL_FOLLOWS_PROFESSIONAL,
                                          account_title);
}

static void
add_identity_markers (WcScreener *self,
                      WcIdentity *identity)
{
  GPtrArray *markers = wc_identity_get_markers (identity);

  for (guint i = 0; markers != NULL && i < markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (markers, i);

      wc_screener_add_marker (self, marker->kind, marker->value);
    }
}

/**
 * wc_screener_new_from_store:
 * @hasher: (nullable): see wc_screener_new()
 *
 * A screener with everything the store knows: the roster and the tags (with
 * @hasher), the professional identity's markers, and the latest follower
 * snapshot of every professional account.
 *
 * Returns: (transfer full) (nullable): the screener, or %NULL when the
 *   store cannot be read
 */
WcScreener *
wc_screener_new_from_store (WcStore   *store,
                            WcHasher  *hasher,
                            GError   **error)
{
  g_autoptr(WcScreener) self = wc_screener_new (hasher);
  g_autoptr(WcIdentity) professional = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_val_if_fail (WC_IS_STORE (store), NULL);

  if (hasher != NULL)
    {
      g_autoptr(GHashTable) names = wc_store_list_roster_hashes (store, WC_ROSTER_KIND_NAME, error);
      g_autoptr(GHashTable) handles = NULL;
      g_autoptr(GHashTable) emails = NULL;
      g_autoptr(GHashTable) tags = NULL;
      g_autoptr(GHashTable) not_patients = NULL;

      if (names == NULL
          || (handles = wc_store_list_roster_hashes (store, WC_ROSTER_KIND_HANDLE, error)) == NULL
          || (emails = wc_store_list_roster_hashes (store, WC_ROSTER_KIND_EMAIL, error)) == NULL
          || (tags = wc_store_load_person_tags (store, error)) == NULL
          || (not_patients = wc_store_load_not_patients (store, error)) == NULL)
        return NULL;
      wc_screener_set_roster (self, names, handles, emails);
      wc_screener_set_tags (self, tags, not_patients);
    }

  professional = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, NULL);
  if (professional != NULL)
    add_identity_markers (self, professional);

  accounts = wc_store_list_accounts (store, WC_IDENTITY_PROFESSIONAL, error);
  if (accounts == NULL)
    return NULL;
  for (guint i = 0; i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(WcFollowerSnapshot) snapshot = wc_store_load_follower_snapshot (store, wc_account_get_id (account),
                                                                                NULL);
      g_autofree char *title = NULL;

      if (snapshot == NULL)
        continue;
      title = wc_account_dup_title (account);
      wc_screener_add_professional_followers (self, snapshot, title);
    }

  return g_steal_pointer (&self);
}

static char *
hash_or_null (WcScreener *self,
              char       *normal)
{
  g_autofree char *owned = normal;

  if (self->hasher == NULL || owned == NULL || *owned == '\0')
    return NULL;
  return wc_hasher_hash (self->hasher, owned);
}

/* The hashes the person may be tagged under: handle, e-mail, name. */
static GPtrArray *
person_hashes (WcScreener               *self,
               const WcScreeningSubject *subject)
{
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);
  char *hash;

  if ((hash = hash_or_null (self, wc_person_normalize_handle (subject->handle))) != NULL)
    g_ptr_array_add (hashes, hash);
  if ((hash = hash_or_null (self, wc_person_normalize_email (subject->email))) != NULL)
    g_ptr_array_add (hashes, hash);
  if (subject->display_name != NULL
      && (hash = hash_or_null (self, wc_person_normalize_words (subject->display_name))) != NULL)
    g_ptr_array_add (hashes, hash);
  return hashes;
}

/**
 * wc_screener_dup_person_hash:
 *
 * Returns: (transfer full) (nullable): the keyed hash that stands for
 *   @subject in person tags: of the handle, else the e-mail address, else
 *   the name; %NULL without a hasher
 */
char *
wc_screener_dup_person_hash (WcScreener               *self,
                             const WcScreeningSubject *subject)
{
  g_autoptr(GPtrArray) hashes = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (subject != NULL, NULL);

  hashes = person_hashes (self, subject);
  return hashes->len > 0 ? g_strdup (g_ptr_array_index (hashes, 0)) : NULL;
}

static gboolean
in_set (GHashTable *set,
        const char *hash)
{
  return set != NULL && hash != NULL && g_hash_table_contains (set, hash);
}

static gboolean
has_initial (const char *normal)
{
  g_auto(GStrv) words = g_strsplit (normal, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && g_utf8_strlen (words[i], -1) == 1)
      return TRUE;
  return FALSE;
}

/* The name as a whole (in any order, with initials), then any run of its
 * words, as the roster finds names in drafts ("Anna Jansen 🌻 she/her"). A
 * match that rests on an initial says less than a full name. */
static void
screen_roster_name (WcScreener               *self,
                    const WcScreeningSubject *subject,
                    WcScreening              *screening)
{
  g_auto(GStrv) variants = NULL;
  gboolean full = FALSE, initials = FALSE;

  if (self->names == NULL || g_hash_table_size (self->names) == 0 || subject->display_name == NULL)
    return;

  variants = wc_person_name_variants (subject->display_name);
  for (guint i = 0; variants[i] != NULL; i++)
    {
      g_autofree char *hash = wc_hasher_hash (self->hasher, variants[i]);

      if (in_set (self->names, hash))
        {
          if (has_initial (variants[i]))
            initials = TRUE;
          else
            full = TRUE;
        }
      explicit_bzero (variants[i], strlen (variants[i]));
    }

  if (!full && self->matcher != NULL)
    {
      g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));

      wc_roster_matcher_run (self->matcher, subject->display_name, hits);
      for (guint i = 0; i < hits->len; i++)
        {
          WcHit *hit = &g_array_index (hits, WcHit, i);
          g_autofree char *part = g_strndup (subject->display_name + hit->span.start,
                                             hit->span.end - hit->span.start);
          g_autofree char *normal = wc_person_normalize_words (part);

          if (strchr (normal, ' ') == NULL)
            continue;  /* one word of a longer name says nothing */
          if (has_initial (normal))
            initials = TRUE;
          else
            full = TRUE;
          explicit_bzero (part, strlen (part));
          explicit_bzero (normal, strlen (normal));
        }
    }

  if (full)
    add_signal (screening, WC_SIGNAL_ROSTER_NAME, WC_SIGNAL_STRENGTH_STRONG,
                g_strdup (_("The name matches a patient on your roster (in any order, with or without accents).")));
  else if (initials)
    add_signal (screening, WC_SIGNAL_ROSTER_NAME, WC_SIGNAL_STRENGTH_MEDIUM,
                g_strdup (_("The initials and surname match a patient on your roster.")));
}

static void
screen_markers (WcScreener               *self,
                const WcScreeningSubject *subject,
                WcScreening              *screening)
{
  g_autofree char *bio = wc_screening_html_to_text (subject->note);
  g_autoptr(GString) fields = g_string_new (NULL);
  struct { const char *text; const char *where; } parts[3];
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  const char *where = NULL;
  gboolean several_places = FALSE;

  if (self->markers->len == 0)
    return;

  for (guint i = 0; subject->fields != NULL && subject->fields[i] != NULL; i++)
    {
      g_autofree char *text = wc_screening_html_to_text (subject->fields[i]);

      g_string_append (fields, text);
      g_string_append_c (fields, '\n');
    }

  parts[0].text = subject->display_name;
  /* Translators: where a marker was found: "The display name mentions …" */
  parts[0].where = N_("display name");
  parts[1].text = bio;
  parts[1].where = N_("bio");
  parts[2].text = fields->str;
  parts[2].where = N_("profile fields");

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *words = NULL;
      g_autofree char *padded = NULL;

      if (parts[p].text == NULL || *parts[p].text == '\0')
        continue;
      /* Whole words, case, accents and punctuation aside: "St Elsewhere
       * hospital," is "St. Elsewhere Hospital". */
      words = wc_person_normalize_words (parts[p].text);
      padded = g_strconcat (" ", words, " ", NULL);
      for (guint m = 0; m < self->markers->len; m++)
        {
          Marker *marker = g_ptr_array_index (self->markers, m);

          if (strstr (padded, marker->words) == NULL)
            continue;
          if (!g_ptr_array_find (found, marker, NULL))
            g_ptr_array_add (found, marker);
          if (where != NULL && where != parts[p].where)
            several_places = TRUE;
          where = parts[p].where;
        }
    }

  if (found->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autofree char *reason = NULL;

      for (guint i = 0; i < found->len; i++)
        {
          Marker *marker = g_ptr_array_index (found, i);

          if (i > 0)
            g_string_append (list, ", ");
          /* Translators: a marker quoted in a list */
          g_string_append_printf (list, _("“%s”"), marker->value);
        }
      if (several_places)
        /* Translators: %s is a list of the doctor's professional markers,
         * e.g. “St. Elsewhere Hospital”, “cardiology” */
        reason = g_strdup_printf (_("The profile mentions your professional markers %s."), list->str);
      else
        /* Translators: the first %s is "display name", "bio" or "profile
         * fields"; the second a list of the doctor's professional markers */
        reason = g_strdup_printf (_("The %s mentions your professional markers %s."), _(where), list->str);
      add_signal (screening, WC_SIGNAL_PROFESSIONAL_MARKER, WC_SIGNAL_STRENGTH_MEDIUM,
                  g_steal_pointer (&reason));
    }
}

static gint
compare_signals (gconstpointer a,
                 gconstpointer b)
{
  const WcScreeningSignal *x = *(WcScreeningSignal * const *) a;
  const WcScreeningSignal *y = *(WcScreeningSignal * const *) b;

  if (x->strength != y->strength)
    return (int) y->strength - (int) x->strength;
  return (int) x->kind - (int) y->kind;
}

static WcScreeningVerdict
decide (WcScreening *screening)
{
  guint strong = 0, medium = 0;
  gboolean not_patient = FALSE, other_tag = FALSE;

  for (guint i = 0; i < screening->signals->len; i++)
    {
      WcScreeningSignal *signal = g_ptr_array_index (screening->signals, i);

      if (signal->kind == WC_SIGNAL_TAGGED_NOT_PATIENT)
        not_patient = TRUE;
      else if (signal->kind == WC_SIGNAL_TAGGED_OTHER)
        other_tag = TRUE;
      else if (signal->strength == WC_SIGNAL_STRENGTH_STRONG)
        strong++;
      else if (signal->strength == WC_SIGNAL_STRENGTH_MEDIUM)
        medium++;
    }

  if (not_patient)
    return WC_SCREENING_NO_SIGN;
  if (strong > 0)
    return WC_SCREENING_LOOKS_LIKE;
  if (other_tag)
    return WC_SCREENING_NO_SIGN;
  if (medium >= 2)
    return WC_SCREENING_LOOKS_LIKE;
  if (medium == 1)
    return WC_SCREENING_MAY_BE;
  return WC_SCREENING_NO_SIGN;
}

/**
 * wc_screener_screen:
 * @subject: who asks
 *
 * Looks for every signal and decides the verdict. Without a hasher the
 * roster and the tags are not looked at.
 *
 * Returns: (transfer full): the screening
 */
WcScreening *
wc_screener_screen (WcScreener               *self,
                    const WcScreeningSubject *subject)
{
  WcScreening *screening;
  g_autoptr(GPtrArray) hashes = NULL;
  g_autofree char *handle = NULL;
  gint64 now;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (subject != NULL, NULL);

  screening = g_new0 (WcScreening, 1);
  g_atomic_ref_count_init (&screening->ref_count);
  screening->signals = g_ptr_array_new_with_free_func ((GDestroyNotify) signal_free);

  hashes = person_hashes (self, subject);
  if (hashes->len > 0)
    screening->person_hash = g_strdup (g_ptr_array_index (hashes, 0));
  handle = wc_person_normalize_handle (subject->handle);

  if (self->hasher != NULL)
    {
      g_autofree char *handle_hash = handle != NULL ? wc_hasher_hash (self->hasher, handle) : NULL;
      g_autofree char *email = wc_person_normalize_email (subject->email);
      g_autofree char *email_hash = email != NULL ? wc_hasher_hash (self->hasher, email) : NULL;
      gboolean tagged = FALSE;

      screen_roster_name (self, subject, screening);
      if (in_set (self->handles, handle_hash))
        add_signal (screening, WC_SIGNAL_ROSTER_HANDLE, WC_SIGNAL_STRENGTH_STRONG,
                    g_strdup (_("The handle is on your patient roster.")));
      if (in_set (self->emails, email_hash))
        add_signal (screening, WC_SIGNAL_ROSTER_EMAIL, WC_SIGNAL_STRENGTH_STRONG,
                    g_strdup (_("The e-mail address is on your patient roster.")));

      for (guint i = 0; i < hashes->len && !tagged; i++)
        {
          const char *hash = g_ptr_array_index (hashes, i);
          gpointer value;

          if (in_set (self->not_patients, hash))
            {
              add_signal (screening, WC_SIGNAL_TAGGED_NOT_PATIENT, WC_SIGNAL_STRENGTH_CLEAR,
                          g_strdup (_("You marked this person as not a patient.")));
              tagged = TRUE;
            }
          else if (self->tags != NULL && g_hash_table_lookup_extended (self->tags, hash, NULL, &value))
            {
              WcPersonTag tag = GPOINTER_TO_INT (value);

              if (tag == WC_PERSON_TAG_PATIENT)
                add_signal (screening, WC_SIGNAL_TAGGED_PATIENT, WC_SIGNAL_STRENGTH_STRONG,
                            g_strdup (_("You tagged this person as a patient.")));
              else
                /* Translators: %s is a tag such as "Colleague" */
                add_signal (screening, WC_SIGNAL_TAGGED_OTHER, WC_SIGNAL_STRENGTH_CLEAR,
                            g_strdup_printf (_("You tagged this person as “%s”."), wc_person_tag_get_label (tag)));
              tagged = TRUE;
            }
        }
    }

  if (handle != NULL)
    {
      const char *title;

      if ((title = g_hash_table_lookup (self->contacts[0], handle)) != NULL)
        /* Translators: %s is the doctor's professional account, e.g. "@drjansen@med.example" */
        add_signal (screening, WC_SIGNAL_FOLLOWS_PROFESSIONAL, WC_SIGNAL_STRENGTH_MEDIUM,
                    g_strdup_printf (_("Follows your professional account %s."), title));
      if ((title = g_hash_table_lookup (self->contacts[1], handle)) != NULL)
        add_signal (screening, WC_SIGNAL_FOLLOWED_BY_PROFESSIONAL, WC_SIGNAL_STRENGTH_MEDIUM,
                    g_strdup_printf (_("Your professional account %s follows them."), title));
      if ((title = g_hash_table_lookup (self->contacts[2], handle)) != NULL)
        add_signal (screening, WC_SIGNAL_INTERACTED_PROFESSIONAL, WC_SIGNAL_STRENGTH_MEDIUM,
                    g_strdup_printf (_("Has interacted with your professional account %s."), title));
    }

  screen_markers (self, subject, screening);

  now = self->now != 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
  if (subject->created_at > 0 && now - subject->created_at < WC_SCREENING_NEW_ACCOUNT_DAYS * 24 * 3600
      && now >= subject->created_at)
    add_signal (screening, WC_SIGNAL_NEW_ACCOUNT, WC_SIGNAL_STRENGTH_WEAK,
                g_strdup (_("The account is less than a month old.")));
  if (subject->statuses_count == 0)
    add_signal (screening, WC_SIGNAL_EMPTY_ACCOUNT, WC_SIGNAL_STRENGTH_WEAK,
                g_strdup (_("The account has posted nothing yet.")));

  g_ptr_array_sort (screening->signals, compare_signals);
  screening->verdict = decide (screening);
  return screening;
}
