/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-person"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "wc-keyring.h"
#include "wc-person.h"
#include "wc-text.h"

struct _WcHasher
{
  gatomicrefcount  ref_count;
  GHmac           *prototype;  /* keyed, nothing hashed yet: copied for each hash */
};

G_DEFINE_BOXED_TYPE (WcHasher, wc_hasher, wc_hasher_ref, wc_hasher_unref)

static const char * const tag_ids[WC_PERSON_N_TAGS] = {
  "patient", "colleague", "employer", "press", "family",
};

static const char * const roster_kind_ids[] = {
  "name", "handle", "email",
};

/* Words that belong to a surname but stand before it: "Jan de Vries",
 * "Ludwig van Beethoven", "Leonardo da Vinci", "Jan in 't Veld". They are
 * compared after folding. */
static const char * const particles[] = {
  "van", "von", "de", "der", "den", "des", "del", "della", "di", "da", "du",
  "dos", "das", "do", "la", "le", "ter", "ten", "te", "zu", "zum", "zur",
  "t", "het", "in", "op", "uit", "aan", "bij", "vd", "al", "el", "ibn", "bin",
  "mc", "st",
};

/* Tags */

/**
 * wc_person_tag_to_string:
 *
 * Returns: the id stored in the database: "patient", "colleague", …
 */
const char *
wc_person_tag_to_string (WcPersonTag tag)
{
  g_return_val_if_fail ((guint) tag < WC_PERSON_N_TAGS, NULL);
  return tag_ids[tag];
}

gboolean
wc_person_tag_from_string (const char  *str,
                           WcPersonTag *tag)
{
  for (guint i = 0; str != NULL && i < WC_PERSON_N_TAGS; i++)
    if (strcmp (str, tag_ids[i]) == 0)
      {
        if (tag != NULL)
          *tag = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * wc_person_tag_get_label:
 *
 * Returns: the tag's name for people, translated: "Patient", …
 */
const char *
wc_person_tag_get_label (WcPersonTag tag)
{
  switch (tag)
    {
    case WC_PERSON_TAG_PATIENT:
      return _("Patient");
    case WC_PERSON_TAG_COLLEAGUE:
      return _("Colleague");
    case WC_PERSON_TAG_EMPLOYER:
      return _("Employer");
    case WC_PERSON_TAG_PRESS:
      return _("Press");
    case WC_PERSON_TAG_FAMILY:
      return _("Family");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
wc_roster_kind_to_string (WcRosterKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (roster_kind_ids), NULL);
  return roster_kind_ids[kind];
}

gboolean
wc_roster_kind_from_string (const char   *str,
                            WcRosterKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (roster_kind_ids); i++)
    if (strcmp (str, roster_kind_ids[i]) == 0)
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }
  return FALSE;
}

/* Normalisation */

/**
 * wc_person_normalize_words:
 * @text: UTF-8 text
 *
 * Folds @text (case and accents) and keeps only its words — runs of letters
 * and digits — separated by one space. "Anne-Marie  O’Brien." and
 * "anne marie o brien" give the same string; so do a draft's words, which
 * is how roster names are found in drafts.
 *
 * Returns: (transfer full): the words, possibly empty
 */
char *
wc_person_normalize_words (const char *text)
{
  g_autofree char *folded = wc_text_fold (text);
  GString *out = g_string_sized_new (strlen (folded));
  gboolean gap = FALSE;

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          gap = out->len > 0;
          continue;
        }
      if (gap)
        g_string_append_c (out, ' ');
      gap = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * wc_person_normalize_handle:
 * @handle: "@anna@med.example", "anna.bsky.social", a profile link such as
 *   "https://med.example/@anna" or "https://bsky.app/profile/anna.bsky.social"
 *
 * Returns: (transfer full) (nullable): the handle folded, without a leading
 *   "@", as user@server for the fediverse; %NULL when @handle is empty or
 *   has spaces inside
 */
char *
wc_person_normalize_handle (const char *handle)
{
  g_autofree char *folded = NULL;
  const char *p;

  if (handle == NULL)
    return NULL;
  folded = wc_text_fold (handle);
  p = folded;

  if (g_str_has_prefix (p, "acct:"))
    p += strlen ("acct:");

  if (g_str_has_prefix (p, "https://") || g_str_has_prefix (p, "http://"))
    {
      const char *host = strstr (p, "://") + 3;
      const char *slash = strchr (host, '/');
      g_autofree char *host_name = NULL;
      g_autofree char *user = NULL;
      const char *path;
      gsize n;

      if (slash == NULL)
        return NULL;
      host_name = g_strndup (host, slash - host);
      path = slash;
      if (g_str_has_prefix (path, "/@"))
        path += 2;
      else if (g_str_has_prefix (path, "/users/"))
        path += strlen ("/users/");
      else if (g_str_has_prefix (path, "/profile/"))
        {
          path += strlen ("/profile/");
          g_clear_pointer (&host_name, g_free);  /* Bluesky: the handle is the whole name */
        }
      else
        return NULL;
      n = strcspn (path, "/?#");
      if (n == 0)
        return NULL;
      user = g_strndup (path, n);
      if (host_name != NULL && strchr (user, '@') == NULL)
        return g_strconcat (user, "@", host_name, NULL);
      return g_steal_pointer (&user);
    }

  if (*p == '@')
    p++;
  if (*p == '\0' || strchr (p, ' ') != NULL || *p == '@')
    return NULL;
  return g_strdup (p);
}

/**
 * wc_person_normalize_email:
 *
 * Returns: (transfer full) (nullable): @email trimmed and folded, without
 *   "mailto:"; %NULL when empty
 */
char *
wc_person_normalize_email (const char *email)
{
  g_autofree char *folded = NULL;
  const char *p;

  if (email == NULL)
    return NULL;
  folded = wc_text_fold (email);
  p = folded;
  if (g_str_has_prefix (p, "mailto:"))
    p += strlen ("mailto:");
  if (*p == '\0')
    return NULL;
  return g_strdup (p);
}

/**
 * wc_person_email_is_valid:
 * @email: an address, as typed
 *
 * A plain syntax check: one "@", something before it, a dotted domain
 * after it, no spaces.
 */
gboolean
wc_person_email_is_valid (const char *email)
{
  g_autofree char *normal = wc_person_normalize_email (email);
  const char *at;
  const char *domain;

  if (normal == NULL || strchr (normal, ' ') != NULL)
    return FALSE;
  at = strchr (normal, '@');
  if (at == NULL || at == normal || strchr (at + 1, '@') != NULL)
    return FALSE;
  domain = at + 1;
  if (*domain == '.' || strchr (domain, '.') == NULL || g_str_has_suffix (domain, ".")
      || strstr (domain, "..") != NULL)
    return FALSE;
  for (const char *p = normal; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isgraph (c) || c == '<' || c == '>' || c == ',' || c == ';' || c == '"')
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_particle (const char *word)
{
  g_autofree char *normal = wc_person_normalize_words (word);

  for (guint i = 0; i < G_N_ELEMENTS (particles); i++)
    if (strcmp (normal, particles[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "jansen-de": a double surname whose second part starts with a particle,
 * as in "Anna Jansen-de Vries". */
static gboolean
ends_with_hyphen_particle (const char *word)
{
  const char *hyphen = strrchr (word, '-');

  return hyphen != NULL && hyphen != word && is_particle (hyphen + 1);
}

/* Splits at white space; a word must hold a letter or digit. */
static GPtrArray *
split_name_words (const char *folded)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit_set (folded, " \t", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *word = wc_person_normalize_words (parts[i]);

      if (*word == '\0')
        continue;
      /* Keep the hyphen of a double name for the particle test. */
      g_ptr_array_add (words, g_strdup (g_strstrip (parts[i])));
    }
  return words;
}

static char *
first_char (const char *word)
{
  return g_strndup (word, g_utf8_next_char (word) - word);
}

/* Adds the words of @lists, in order, as one variant. */
static void
add_variant (GPtrArray  *out,
             GPtrArray **lists,
             guint       n_lists)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *normal = NULL;

  for (guint l = 0; l < n_lists; l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        if (joined->len > 0)
          g_string_append_c (joined, ' ');
        g_string_append (joined, g_ptr_array_index (lists[l], i));
      }

  normal = wc_person_normalize_words (joined->str);
  if (*normal == '\0')
    return;
  for (guint i = 0; i < out->len; i++)
    if (g_strcmp0 (g_ptr_array_index (out, i), normal) == 0)
      return;
  g_ptr_array_add (out, g_steal_pointer (&normal));
}

static GPtrArray *
slice (GPtrArray *words,
       guint      from,
       guint      to)
{
  GPtrArray *part = g_ptr_array_new_with_free_func (g_free);

  for (guint i = from; i < to && i < words->len; i++)
    g_ptr_array_add (part, g_strdup (g_ptr_array_index (words, i)));
  return part;
}

/**
 * wc_person_name_variants:
 * @name: a person's name as written: "Anna Jansen", "Jansen, Anna",
 *   "de Vries, Jan", "Vries, J. de", "Anne-Marie van der Berg"
 *
 * The ways the name is likely to be written in a text, each normalised
 * with wc_person_normalize_words(): given names and surname in both orders,
 * each given name with the surname, and the initials with the surname
 * ("J. de Vries", "de Vries J"); for a surname with particles also the
 * sorting order "Vries, Jan de". A name of two or more words never gives a
 * variant of one word, so "Anna Jansen" is not found in "Anna" or "Jansen".
 *
 * Returns: (transfer full): the variants, the name itself first; empty when
 *   @name has no letters
 */
GStrv
wc_person_name_variants (const char *name)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  g_autoptr(GPtrArray) given = NULL;
  g_autoptr(GPtrArray) surname = NULL;
  g_autoptr(GPtrArray) initials = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folded = NULL;
  const char *comma;

  if (name == NULL)
    return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);

  folded = wc_text_fold (name);
  comma = strchr (folded, ',');

  if (comma != NULL)
    {
      g_autofree char *before = g_strndup (folded, comma - folded);
      g_autofree char *after = g_strdup (comma + 1);

      g_strdelimit (after, ",", ' ');
      surname = split_name_words (before);
      given = split_name_words (after);
      /* "Vries, Jan de": the trailing particles belong to the surname. */
      while (given->len > 1 && is_particle (g_ptr_array_index (given, given->len - 1)))
        {
          char *particle = g_ptr_array_steal_index (given, given->len - 1);
          g_ptr_array_insert (surname, 0, particle);
        }
    }
  else
    {
      g_autoptr(GPtrArray) words = split_name_words (folded);
      guint start = words->len > 0 ? words->len - 1 : 0;

      for (guint i = 1; i + 1 < words->len; i++)
        {
          const char *word = g_ptr_array_index (words, i);

          if (is_particle (word) || ends_with_hyphen_particle (word))
            {
              start = i;
              break;
            }
        }
      given = slice (words, 0, start);
      surname = slice (words, start, words->len);
    }

  if (surname->len == 0 || given->len == 0)
    {
      GPtrArray *all[] = { given, surname };

      /* A single word, or a part left empty ("Jansen,"): the words as they are. */
      add_variant (out, all, G_N_ELEMENTS (all));
      return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
    }

  /* Initials of every given name, and of each part of a double one. */
  for (guint i = 0; i < given->len; i++)
    {
      g_autofree char *parts = wc_person_normalize_words (g_ptr_array_index (given, i));
      g_auto(GStrv) split = g_strsplit (parts, " ", -1);

      for (guint j = 0; split[j] != NULL; j++)
        if (*split[j] != '\0')
          g_ptr_array_add (initials, first_char (split[j]));
    }

  {
    GPtrArray *g_s[] = { given, surname };
    GPtrArray *s_g[] = { surname, given };

    add_variant (out, g_s, 2);
    add_variant (out, s_g, 2);
  }

  if (given->len > 1)
    for (guint i = 0; i < given->len; i++)
      {
        g_autoptr(GPtrArray) one = slice (given, i, i + 1);
        GPtrArray *o_s[] = { one, surname };

        add_variant (out, o_s, 2);
      }

  if (initials->len > 0)
    {
      g_autoptr(GPtrArray) first = slice (initials, 0, 1);
      GPtrArray *i_s[] = { first, surname };
      GPtrArray *s_i[] = { surname, first };
      GPtrArray *all_s[] = { initials, surname };
      GPtrArray *s_all[] = { surname, initials };

      add_variant (out, i_s, 2);
      add_variant (out, s_i, 2);
      add_variant (out, all_s, 2);
      add_variant (out, s_all, 2);
    }

  /* "Vries, Jan de" and "Vries, J. de": the sorting order of names with
   * particles, in Dutch lists. */
  {
    guint n_particles = 0;

    while (n_particles + 1 < surname->len && is_particle (g_ptr_array_index (surname, n_particles)))
      n_particles++;
    if (n_particles > 0)
      {
        g_autoptr(GPtrArray) lead = slice (surname, 0, n_particles);
        g_autoptr(GPtrArray) core = slice (surname, n_particles, surname->len);
        g_autoptr(GPtrArray) first = slice (initials, 0, 1);
        GPtrArray *c_g_l[] = { core, given, lead };
        GPtrArray *c_i_l[] = { core, first, lead };

        add_variant (out, c_g_l, 3);
        add_variant (out, c_i_l, 3);
      }
  }

  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Hashing */

/**
 * wc_hasher_new:
 * @key: the secret key, normally %WC_HASHER_KEY_SIZE random bytes
 *
 * Returns: (transfer full): a hasher computing HMAC-SHA256 with @key
 */
WcHasher *
wc_hasher_new (const guint8 *key,
               gsize         len)
{
  WcHasher *self;

  g_return_val_if_fail (key != NULL && len > 0, NULL);

  self = g_new0 (WcHasher, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->prototype = g_hmac_new (G_CHECKSUM_SHA256, key, len);
  return self;
}

WcHasher *
wc_hasher_ref (WcHasher *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_hasher_unref (WcHasher *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hmac_unref (self->prototype);
  g_free (self);
}

/**
 * wc_hasher_hash_len:
 * @normalised: a string already normalised (wc_person_normalize_…)
 * @length: its length in bytes
 *
 * Safe to call from several threads at once.
 *
 * Returns: (transfer full): the HMAC-SHA256 of @normalised, as 64 lower-case
 *   hexadecimal digits
 */
char *
wc_hasher_hash_len (WcHasher   *self,
                    const char *normalised,
                    gsize       length)
{
  static const char hex[] = "0123456789abcdef";
  GHmac *hmac;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  char *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (normalised != NULL, NULL);

  hmac = g_hmac_copy (self->prototype);
  g_hmac_update (hmac, (const guchar *) normalised, length);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_hmac_unref (hmac);

  out = g_malloc (WC_HASH_HEX_LENGTH + 1);
  for (guint i = 0; i < 32; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[WC_HASH_HEX_LENGTH] = '\0';
  return out;
}

/**
 * wc_hasher_hash:
 * @normalised: a string already normalised (wc_person_normalize_…)
 *
 * Returns: (transfer full): see wc_hasher_hash_len()
 */
char *
wc_hasher_hash (WcHasher   *self,
                const char *normalised)
{
  g_return_val_if_fail (normalised != NULL, NULL);
  return wc_hasher_hash_len (self, normalised, strlen (normalised));
}

/**
 * wc_hasher_hash_handle:
 * @handle: a handle in any of the forms wc_person_normalize_handle() reads
 *
 * Returns: (transfer full) (nullable): the hash of the normalised handle, or
 *   %NULL when @handle is not one
 */
char *
wc_hasher_hash_handle (WcHasher   *self,
                       const char *handle)
{
  g_autofree char *normal = wc_person_normalize_handle (handle);

  if (normal == NULL)
    return NULL;
  return wc_hasher_hash (self, normal);
}

/**
 * wc_hash_is_valid:
 *
 * Whether @hash looks like what wc_hasher_hash() returns. The store refuses
 * anything else in a hash column, so that no plain name can end up there.
 */
gboolean
wc_hash_is_valid (const char *hash)
{
  if (hash == NULL)
    return FALSE;
  for (guint i = 0; i < WC_HASH_HEX_LENGTH; i++)
    if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f')))
      return FALSE;
  return hash[WC_HASH_HEX_LENGTH] == '\0';
}

/* The key in the keyring */

/* Loads run one at a time, so that two callers starting together cannot
 * both create a key and keep different ones. */
static GPtrArray *waiting_tasks;

static gboolean
random_key (guint8  *key,
            gsize    len,
            GError **error)
{
  gsize have = 0;

  while (have < len)
    {
      ssize_t n = getrandom (key + have, len - have, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      have += n;
    }

  if (have < len)
    {
      g_autoptr(GFile) file = g_file_new_for_path ("/dev/urandom");
      g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);

      if (stream == NULL
          || !g_input_stream_read_all (G_INPUT_STREAM (stream), key, len, &have, NULL, error)
          || have < len)
        {
          g_debug ("No random bytes for the hashing key");
          g_clear_error (error);
          g_set_error_literal (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED,
                               _("Whitecoat could not make a key to protect your person tags and patient roster."));
          return FALSE;
        }
    }
  return TRUE;
}

static void
complete_waiting (WcHasher *hasher,
                  GError   *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&waiting_tasks);

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (hasher != NULL)
        g_task_return_pointer (task, wc_hasher_ref (hasher), (GDestroyNotify) wc_hasher_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

typedef struct
{
  guint8  key[WC_HASHER_KEY_SIZE];
  char   *encoded;
} NewKey;

static void
new_key_free (NewKey *new_key)
{
  explicit_bzero (new_key->key, sizeof new_key->key);
  if (new_key->encoded != NULL)
    explicit_bzero (new_key->encoded, strlen (new_key->encoded));
  g_free (new_key->encoded);
  g_free (new_key);
}

static void
store_key_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  NewKey *new_key = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcHasher) hasher = NULL;

  if (wc_keyring_store_finish (result, &error))
    {
      hasher = wc_hasher_new (new_key->key, sizeof new_key->key);
      g_debug ("Stored a new hashing key in the keyring");
    }
  new_key_free (new_key);
  complete_waiting (hasher, error);
}

static void
lookup_key_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char *secret = wc_keyring_lookup_finish (result, &error);

  if (secret != NULL)
    {
      gsize len = 0;
      guchar *key = g_base64_decode (secret, &len);
      g_autoptr(WcHasher) hasher = NULL;

      secret_password_free (secret);
      if (len == WC_HASHER_KEY_SIZE)
        hasher = wc_hasher_new (key, len);
      else
        g_set_error_literal (&error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED,
                             _("The key that protects your person tags and patient roster is damaged in the keyring. Forget the roster and the tags, then tag again."));
      if (key != NULL)
        explicit_bzero (key, len);
      g_free (key);
      complete_waiting (hasher, error);
      return;
    }

  if (g_error_matches (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND))
    {
      NewKey *new_key = g_new0 (NewKey, 1);

      g_clear_error (&error);
      if (!random_key (new_key->key, sizeof new_key->key, &error))
        {
          new_key_free (new_key);
          complete_waiting (NULL, error);
          return;
        }
      new_key->encoded = g_base64_encode (new_key->key, sizeof new_key->key);
      wc_keyring_store_async (-1, WC_SECRET_HASH_KEY,
                              _("Whitecoat key for person tags and the patient roster"),
                              new_key->encoded, NULL, store_key_cb, new_key);
      return;
    }

  complete_waiting (NULL, error);
}

/**
 * wc_hasher_load_async:
 *
 * Finds the hashing key in the keyring, or makes a random one and stores it
 * there when there is none yet. A missing or locked keyring is an error: the
 * tags and the roster cannot be kept without it.
 */
void
wc_hasher_load_async (GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  gboolean running = waiting_tasks != NULL;

  g_task_set_source_tag (task, wc_hasher_load_async);
  if (!running)
    waiting_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting_tasks, task);

  /* The lookup is not cancelled with one caller: others may wait for it. */
  if (!running)
    wc_keyring_lookup_async (-1, WC_SECRET_HASH_KEY, NULL, lookup_key_cb, NULL);
}

/**
 * wc_hasher_load_finish:
 * @error: a #WC_KEYRING_ERROR, whose message tells the user what to do
 *
 * Returns: (transfer full): the hasher, or %NULL
 */
WcHasher *
wc_hasher_load_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
