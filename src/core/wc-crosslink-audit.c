/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-crosslink"

#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <jpeglib.h>
#include <png.h>

#include "wc-crosslink-audit.h"
#include "wc-text.h"

#define HASH_W 9
#define HASH_H 8
/* Avatars are small; anything larger than this is not one. */
#define MAX_PIXELS (8192u * 8192u)

G_DEFINE_QUARK (wc-image-hash-error-quark, wc_image_hash_error)

/* --- The perceptual hash ------------------------------------------------ */

typedef struct
{
  struct jpeg_error_mgr  pub;
  jmp_buf                jump;
} JpegError;

static void
jpeg_error_exit_cb (j_common_ptr cinfo)
{
  JpegError *err = (JpegError *) cinfo->err;

  longjmp (err->jump, 1);
}

static void
jpeg_silent_cb (j_common_ptr cinfo)
{
}

/* Grey pixels, one byte each. */
static guint8 *
decode_jpeg_grey (const guint8 *data,
                  gsize         length,
                  guint        *width,
                  guint        *height)
{
  struct jpeg_decompress_struct cinfo;
  JpegError jerr;
  guint8 *volatile pixels = NULL;

  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = jpeg_error_exit_cb;
  jerr.pub.output_message = jpeg_silent_cb;
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_decompress (&cinfo);
      g_free (pixels);
      return NULL;
    }
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, (unsigned char *) data, length);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.out_color_space = JCS_GRAYSCALE;
  /* The hash needs 9×8 pixels: let the decoder shrink big pictures. */
  if (cinfo.image_width >= 8 * 64 && cinfo.image_height >= 8 * 64)
    {
      cinfo.scale_num = 1;
      cinfo.scale_denom = 8;
    }
  jpeg_start_decompress (&cinfo);
  if ((guint64) cinfo.output_width * cinfo.output_height > MAX_PIXELS || cinfo.output_components != 1)
    {
      jpeg_destroy_decompress (&cinfo);
      return NULL;
    }
  pixels = g_malloc ((gsize) cinfo.output_width * cinfo.output_height);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = (JSAMPROW) pixels + (gsize) cinfo.output_scanline * cinfo.output_width;

      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  *width = cinfo.output_width;
  *height = cinfo.output_height;
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
  return pixels;
}

static guint8 *
decode_png_grey (const guint8 *data,
                 gsize         length,
                 guint        *width,
                 guint        *height)
{
  png_image image;
  guint8 *pixels;

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory (&image, data, length))
    return NULL;
  if ((guint64) image.width * image.height > MAX_PIXELS)
    {
      png_image_free (&image);
      return NULL;
    }
  /* Transparent parts count as white, the way the networks show them. */
  image.format = PNG_FORMAT_GRAY;
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  {
    png_color white = { 255, 255, 255 };

    if (!png_image_finish_read (&image, &white, pixels, 0, NULL))
      {
        png_image_free (&image);
        g_free (pixels);
        return NULL;
      }
  }
  *width = image.width;
  *height = image.height;
  return pixels;
}

/**
 * wc_image_dhash:
 * @data: a JPEG or PNG file's bytes
 * @hash: (out): the hash
 *
 * Returns: whether @data could be decoded
 */
gboolean
wc_image_dhash (const guint8  *data,
                gsize          length,
                guint64       *hash,
                GError       **error)
{
  g_autofree guint8 *pixels = NULL;
  guint width = 0, height = 0;
  double cells[HASH_H][HASH_W] = { { 0 } };
  double counts[HASH_H][HASH_W] = { { 0 } };
  guint64 bits = 0;

  g_return_val_if_fail (data != NULL && hash != NULL, FALSE);

  if (length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    pixels = decode_jpeg_grey (data, length, &width, &height);
  else if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    pixels = decode_png_grey (data, length, &width, &height);

  if (pixels == NULL || width == 0 || height == 0)
    {
      g_set_error_literal (error, WC_IMAGE_HASH_ERROR, 0,
                           _("The picture is not a JPEG or PNG image Whitecoat can read."));
      return FALSE;
    }

  /* Box filter down to 9×8: every pixel adds to the cell it falls in. */
  for (guint y = 0; y < height; y++)
    {
      guint cy = (guint) ((guint64) y * HASH_H / height);

      for (guint x = 0; x < width; x++)
        {
          guint cx = (guint) ((guint64) x * HASH_W / width);

          cells[cy][cx] += pixels[(gsize) y * width + x];
          counts[cy][cx] += 1;
        }
    }
  for (guint y = 0; y < HASH_H; y++)
    for (guint x = 0; x < HASH_W; x++)
      {
        /* A picture narrower than 9 pixels leaves cells empty: borrow the
         * neighbour's value. */
        if (counts[y][x] > 0)
          cells[y][x] /= counts[y][x];
        else if (x > 0)
          cells[y][x] = cells[y][x - 1];
      }
  for (guint y = 0; y < HASH_H; y++)
    for (guint x = 0; x < HASH_W - 1; x++)
      bits = (bits << 1) | (cells[y][x] < cells[y][x + 1] ? 1 : 0);

  *hash = bits;
  return TRUE;
}

guint
wc_image_hash_distance (guint64 a,
                        guint64 b)
{
  guint64 x = a ^ b;
  guint n = 0;

  while (x != 0)
    {
      x &= x - 1;
      n++;
    }
  return n;
}

/* --- Profiles ----------------------------------------------------------- */

static void
field_free (WcProfileField *field)
{
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

/**
 * wc_profile_new_for_account:
 *
 * Returns: (transfer full): a profile with what the account itself knows:
 *   network, handle, profile address and display name
 */
WcProfile *
wc_profile_new_for_account (WcAccount *account)
{
  WcProfile *profile = g_new0 (WcProfile, 1);

  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);

  profile->account_id = wc_account_get_id (account);
  profile->identity = wc_account_get_identity (account);
  profile->network = g_strdup (wc_account_get_network (account));
  profile->handle = g_strdup (wc_account_get_handle (account));
  profile->profile_url = g_strdup (wc_account_get_profile_url (account));
  profile->display_name = g_strdup (wc_account_get_display_name (account));
  profile->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  return profile;
}

void
wc_profile_add_field (WcProfile  *profile,
                      const char *name,
                      const char *value,
                      gboolean    verified)
{
  WcProfileField *field = g_new0 (WcProfileField, 1);

  field->name = g_strdup (name ? name : "");
  field->value = g_strdup (value ? value : "");
  field->verified = verified;
  g_ptr_array_add (profile->fields, field);
}

void
wc_profile_free (WcProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->network);
  g_free (profile->handle);
  g_free (profile->profile_url);
  g_free (profile->display_name);
  g_free (profile->note);
  g_clear_pointer (&profile->fields, g_ptr_array_unref);
  g_free (profile);
}

void
wc_crosslink_finding_free (WcCrosslinkFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->where);
  g_free (finding->evidence);
  g_free (finding->message);
  g_free (finding->fix);
  g_free (finding);
}

/* --- Helpers ------------------------------------------------------------ */

/* The text of HTML as a reader sees it, and its link targets. */
static char *
html_to_text (const char *html,
              GPtrArray  *hrefs)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = html;

  while (p != NULL && *p != '\0')
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');
          g_autofree char *tag = end ? g_strndup (p, end - p) : NULL;
          const char *href = tag ? strstr (tag, "href=\"") : NULL;

          if (end == NULL)
            break;
          if (href != NULL && hrefs != NULL)
            {
              const char *start = href + strlen ("href=\"");
              const char *quote = strchr (start, '"');

              if (quote != NULL)
                g_ptr_array_add (hrefs, g_strndup (start, quote - start));
            }
          if (g_str_has_prefix (tag, "<br") || g_str_has_prefix (tag, "</p"))
            g_string_append_c (text, ' ');
          p = end + 1;
        }
      else if (*p == '&')
        {
          static const struct { const char *entity; const char *text; } entities[] = {
            { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
            { "&apos;", "'" }, { "&nbsp;", " " },
          };
          gboolean found = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (entities) && !found; i++)
            if (g_str_has_prefix (p, entities[i].entity))
              {
                g_string_append (text, entities[i].text);
                p += strlen (entities[i].entity);
                found = TRUE;
              }
          if (!found)
            g_string_append_c (text, *p++);
        }
      else
        g_string_append_c (text, *p++);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Addresses written out in a text: "https://…", "www.…". */
static void
collect_urls (const char *text,
              GPtrArray  *urls)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("(?:https?://|www\\.)[^\\s<>\"']+", G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                                            0, NULL));
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (urls, g_match_info_fetch (match, 0));
      g_match_info_next (match, NULL);
    }
}

/* "https://www.Anna-Jansen.nl/over/" → "anna-jansen.nl/over" */
static char *
normalize_url (const char *url)
{
  g_autofree char *lower = g_ascii_strdown (url, -1);
  const char *p = lower;
  gsize length;

  if (g_str_has_prefix (p, "https://"))
    p += strlen ("https://");
  else if (g_str_has_prefix (p, "http://"))
    p += strlen ("http://");
  if (g_str_has_prefix (p, "www."))
    p += strlen ("www.");
  length = strlen (p);
  while (length > 0 && (p[length - 1] == '/' || p[length - 1] == '.' || p[length - 1] == ','))
    length--;
  return g_strndup (p, length);
}

static char *
url_host (const char *normalized)
{
  const char *end = strpbrk (normalized, "/?#");

  return end ? g_strndup (normalized, end - normalized) : g_strdup (normalized);
}

static gboolean
host_in_domain (const char *host,
                const char *domain)
{
  gsize hl = strlen (host), dl = strlen (domain);

  if (dl == 0 || hl < dl)
    return FALSE;
  if (g_ascii_strcasecmp (host + hl - dl, domain) != 0)
    return FALSE;
  return hl == dl || host[hl - dl - 1] == '.';
}

/* The local part of a handle: "@Anna_J@med.example" → "anna_j". */
static char *
handle_local (const char *handle)
{
  const char *start = handle != NULL && handle[0] == '@' ? handle + 1 : handle;
  const char *at = start ? strchr (start, '@') : NULL;
  g_autofree char *local = at ? g_strndup (start, at - start) : g_strdup (start ? start : "");

  return g_ascii_strdown (local, -1);
}

static char *
handle_server (const char *handle)
{
  const char *start = handle != NULL && handle[0] == '@' ? handle + 1 : handle;
  const char *at = start ? strchr (start, '@') : NULL;

  return at ? g_ascii_strdown (at + 1, -1) : NULL;
}

/* What is left of a handle once punctuation, a "dr" in front and digits at
 * the end are taken away: "dr_anna.jansen82" → "annajansen". Bluesky
 * handles are domains: only their first label counts. */
static char *
handle_stem (const WcProfile *profile)
{
  g_autofree char *local = handle_local (profile->handle);
  g_autoptr(GString) stem = g_string_new (NULL);
  const char *dot;

  if (g_strcmp0 (profile->network, "bluesky") == 0 && (dot = strchr (local, '.')) != NULL)
    local[dot - local] = '\0';
  for (const char *p = local; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (stem, *p);
  while (stem->len > 0 && g_ascii_isdigit (stem->str[stem->len - 1]))
    g_string_truncate (stem, stem->len - 1);
  if (g_str_has_prefix (stem->str, "doctor") && stem->len >= 9)
    g_string_erase (stem, 0, 6);
  else if (g_str_has_prefix (stem->str, "dr") && stem->len >= 5)
    g_string_erase (stem, 0, 2);
  return g_string_free (g_steal_pointer (&stem), FALSE);
}

/* Letters and digits only, lower case: "Anna Jansen" → "annajansen". */
static char *
squeeze (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The addresses at which an account can be linked, normalised. */
static GPtrArray *
account_addresses (const WcProfile *profile)
{
  GPtrArray *addresses = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *local = handle_local (profile->handle);
  g_autofree char *server = handle_server (profile->handle);

  if (profile->profile_url != NULL && *profile->profile_url != '\0')
    g_ptr_array_add (addresses, normalize_url (profile->profile_url));
  if (server != NULL && *local != '\0')
    {
      g_ptr_array_add (addresses, g_strdup_printf ("%s/@%s", server, local));
      g_ptr_array_add (addresses, g_strdup_printf ("%s/users/%s", server, local));
    }
  if (g_strcmp0 (profile->network, "bluesky") == 0 && *local != '\0')
    g_ptr_array_add (addresses, g_strdup_printf ("bsky.app/profile/%s", local));
  return addresses;
}

static char *
display_name_key (const char *name)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  if (name == NULL)
    return NULL;
  folded = wc_text_fold (name);
  words = g_strsplit_set (folded, " \t\n", -1);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) kept = NULL;

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_strv_builder_add (builder, words[i]);
    kept = g_strv_builder_end (builder);
    return g_strjoinv (" ", kept);
  }
}

typedef struct
{
  WcIdentity *identities[WC_N_IDENTITIES];
  GPtrArray  *profiles;
  GPtrArray  *findings;
  GHashTable *seen;  /* "account|kind|evidence" */
} Audit;

static void
add_finding (Audit           *audit,
             WcCrosslinkKind  kind,
             const WcProfile *profile,
             gint64           other_account_id,
             const char      *where,
             const char      *evidence,
             gboolean         verified,
             char            *message,
             char            *fix)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "|%d|%s|%s", profile->account_id, kind,
                                          where ? where : "", evidence ? evidence : "");
  WcCrosslinkFinding *finding;

  if (!g_hash_table_add (audit->seen, g_steal_pointer (&key)))
    {
      g_free (message);
      g_free (fix);
      return;
    }
  finding = g_new0 (WcCrosslinkFinding, 1);
  finding->kind = kind;
  finding->account_id = profile->account_id;
  finding->other_account_id = other_account_id;
  finding->where = g_strdup (where);
  finding->evidence = g_strdup (evidence);
  finding->verified = verified;
  finding->message = message;
  finding->fix = fix;
  g_ptr_array_add (audit->findings, finding);
}

static const char *
identity_word (WcIdentityKind kind)
{
  return kind == WC_IDENTITY_PERSONAL ? _("personal") : _("professional");
}

static char *
account_title (const WcProfile *profile)
{
  return g_strdup (profile->handle ? profile->handle : "");
}

/* One text of a profile (its bio, a field's value, its display name). */
static void
audit_text (Audit           *audit,
            const WcProfile *profile,
            const char      *where,
            const char      *raw,
            gboolean         verified)
{
  WcIdentityKind other = wc_identity_kind_other (profile->identity);
  WcIdentity *other_identity = audit->identities[other];
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autoptr(WcFoldedText) folded = NULL;
  GPtrArray *markers;

  if (raw == NULL || *raw == '\0')
    return;
  text = html_to_text (raw, urls);
  collect_urls (text, urls);
  folded = wc_folded_text_new (text);

  /* Markers of the other identity: its name, title, hospital, domain … */
  markers = other_identity != NULL ? wc_identity_get_markers (other_identity) : NULL;
  for (guint i = 0; markers != NULL && i < markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (markers, i);
      g_autofree char *needle = wc_text_fold (marker->value);
      g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));

      if (needle == NULL || g_utf8_strlen (needle, -1) < 2)
        continue;
      if (wc_folded_text_find_words (folded, needle, spans) == 0)
        continue;
      add_finding (audit, WC_CROSSLINK_MENTION, profile, -1, where, marker->value, FALSE,
                   /* Translators: 1: where ("bio", "field “Website”"), 2: an account,
                    * 3: a word such as a name or hospital, 4: "personal" or "professional" */
                   g_strdup_printf (_("The %s of %s names “%s”, a marker of your %s identity."),
                                    where, profile->handle, marker->value, identity_word (other)),
                   g_strdup_printf (_("Remove “%s” from the %s, or say it differently."), marker->value, where));
    }

  /* Links: to a domain of the other identity, or to one of its accounts. */
  for (guint u = 0; u < urls->len; u++)
    {
      g_autofree char *url = normalize_url (g_ptr_array_index (urls, u));
      g_autofree char *host = url_host (url);
      gboolean linked = FALSE;

      for (guint i = 0; i < audit->profiles->len && !linked; i++)
        {
          const WcProfile *target = g_ptr_array_index (audit->profiles, i);
          g_autoptr(GPtrArray) addresses = NULL;

          if (target->identity != other)
            continue;
          addresses = account_addresses (target);
          for (guint a = 0; a < addresses->len && !linked; a++)
            {
              const char *address = g_ptr_array_index (addresses, a);

              if (g_str_equal (url, address)
                  || (g_str_has_prefix (url, address) && strchr ("/?#", url[strlen (address)]) != NULL))
                {
                  linked = TRUE;
                  add_finding (audit, WC_CROSSLINK_LINK, profile, target->account_id, where, url, verified,
                               verified
                               /* Translators: 1: where, 2: an account, 3: another account, 4: "personal"/"professional" */
                               ? g_strdup_printf (_("The %s of %s links to %s, your %s account, and that page confirms the link (rel=me)."),
                                                  where, profile->handle, target->handle, identity_word (other))
                               : g_strdup_printf (_("The %s of %s links to %s, your %s account."),
                                                  where, profile->handle, target->handle, identity_word (other)),
                               verified
                               ? g_strdup_printf (_("Remove the link from the %s, and the rel=me link back from the other page."), where)
                               : g_strdup_printf (_("Remove the link from the %s."), where));
                }
            }
        }

      for (guint i = 0; markers != NULL && i < markers->len && !linked; i++)
        {
          WcMarker *marker = g_ptr_array_index (markers, i);
          g_autofree char *domain = NULL;
          g_autofree char *domain_host = NULL;

          if (marker->kind != WC_MARKER_DOMAIN)
            continue;
          domain = normalize_url (marker->value);
          domain_host = url_host (domain);
          if (host_in_domain (host, domain_host))
            {
              linked = TRUE;
              add_finding (audit, WC_CROSSLINK_LINK, profile, -1, where, url, verified,
                           /* Translators: 1: where, 2: an account, 3: a web address, 4: "personal"/"professional" */
                           g_strdup_printf (_("The %s of %s links to %s, a web site of your %s identity."),
                                            where, profile->handle, url, identity_word (other)),
                           g_strdup_printf (_("Remove the link from the %s."), where));
            }
        }
    }

  /* Handles of the other identity's accounts written out: "@anna@med.example". */
  for (guint i = 0; i < audit->profiles->len; i++)
    {
      const WcProfile *target = g_ptr_array_index (audit->profiles, i);
      g_autofree char *needle = NULL;

      if (target->identity != other || target->handle == NULL || strchr (target->handle + 1, '@') == NULL)
        continue;
      needle = g_utf8_casefold (target->handle[0] == '@' ? target->handle + 1 : target->handle, -1);
      {
        g_autofree char *haystack = g_utf8_casefold (text, -1);

        if (strstr (haystack, needle) != NULL)
          add_finding (audit, WC_CROSSLINK_LINK, profile, target->account_id, where, target->handle, verified,
                       g_strdup_printf (_("The %s of %s names %s, your %s account."),
                                        where, profile->handle, target->handle, identity_word (other)),
                       g_strdup_printf (_("Remove the mention from the %s."), where));
      }
    }
}

static gboolean
snapshot_contains (WcFollowerSnapshot *snapshot,
                   const WcProfile    *profile)
{
  g_autofree char *local = handle_local (profile->handle);
  g_autofree char *server = handle_server (profile->handle);
  const WcFollower *followers;
  guint n = 0;

  if (*local == '\0')
    return FALSE;
  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *ref_local = handle_local (followers[i].ref);
      g_autofree char *ref_server = handle_server (followers[i].ref);

      /* Bluesky refs and handles are the same string; fediverse refs
       * carry the server unless it is the account's own. */
      if (g_str_equal (ref_local, local)
          && (ref_server == NULL || server == NULL || g_str_equal (ref_server, server)))
        return TRUE;
    }
  return FALSE;
}

/* Verified links first: they are the strongest tie, the other side
 * confirms it. Then links, mentions, and the rest. */
static int
finding_rank (const WcCrosslinkFinding *finding)
{
  switch (finding->kind)
    {
    case WC_CROSSLINK_LINK:
      return finding->verified ? 0 : 1;
    case WC_CROSSLINK_MENTION:
      return 2;
    case WC_CROSSLINK_AVATAR:
    case WC_CROSSLINK_DISPLAY_NAME:
      return 3;
    case WC_CROSSLINK_HANDLE_STEM:
    case WC_CROSSLINK_FOLLOW:
    default:
      return 4;
    }
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const WcCrosslinkFinding *fa = *(WcCrosslinkFinding * const *) a;
  const WcCrosslinkFinding *fb = *(WcCrosslinkFinding * const *) b;

  return finding_rank (fa) - finding_rank (fb);
}

/**
 * wc_crosslink_audit_run:
 * @personal: (nullable): the personal identity with its markers
 * @professional: (nullable): the professional identity with its markers
 * @profiles: (element-type WcProfile): every account's profile
 * @snapshots: (element-type WcFollowerSnapshot) (nullable): follower snapshots
 *
 * Returns: (transfer full) (element-type WcCrosslinkFinding): the findings
 */
GPtrArray *
wc_crosslink_audit_run (WcIdentity *personal,
                        WcIdentity *professional,
                        GPtrArray  *profiles,
                        GPtrArray  *snapshots)
{
  Audit audit = { { personal, professional }, profiles, NULL, NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (profiles != NULL, NULL);

  audit.findings = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_crosslink_finding_free);
  audit.seen = seen;

  for (guint i = 0; i < profiles->len; i++)
    {
      const WcProfile *profile = g_ptr_array_index (profiles, i);

      audit_text (&audit, profile, _("bio"), profile->note, FALSE);
      audit_text (&audit, profile, _("display name"), profile->display_name, FALSE);
      for (guint f = 0; f < profile->fields->len; f++)
        {
          const WcProfileField *field = g_ptr_array_index (profile->fields, f);
          /* Translators: where in a profile, e.g. field “Website” */
          g_autofree char *where = g_strdup_printf (_("field “%s”"), field->name);

          audit_text (&audit, profile, where, field->name, FALSE);
          audit_text (&audit, profile, where, field->value, field->verified);
        }
    }

  /* Handles that spell a name of the other identity: "anna.jansen.75". */
  for (guint i = 0; i < profiles->len; i++)
    {
      const WcProfile *profile = g_ptr_array_index (profiles, i);
      WcIdentityKind other = wc_identity_kind_other (profile->identity);
      GPtrArray *markers = audit.identities[other] ? wc_identity_get_markers (audit.identities[other]) : NULL;
      g_autofree char *local = handle_local (profile->handle);
      g_autofree char *squeezed = squeeze (local);

      for (guint m = 0; markers != NULL && m < markers->len; m++)
        {
          WcMarker *marker = g_ptr_array_index (markers, m);
          g_autofree char *folded = NULL;
          g_autofree char *needle = NULL;

          if (marker->kind != WC_MARKER_REAL_NAME && marker->kind != WC_MARKER_NICKNAME
              && marker->kind != WC_MARKER_FAMILY_NAME && marker->kind != WC_MARKER_ORGANISATION)
            continue;
          folded = wc_text_fold (marker->value);
          needle = squeeze (folded);
          if (strlen (needle) < 5 || strstr (squeezed, needle) == NULL)
            continue;
          add_finding (&audit, WC_CROSSLINK_MENTION, profile, -1, _("handle"), marker->value, FALSE,
                       /* Translators: 1: an account, 2: a name, 3: "personal" or "professional" */
                       g_strdup_printf (_("The handle %s spells “%s”, a marker of your %s identity."),
                                        profile->handle, marker->value, identity_word (other)),
                       g_strdup (_("Handles cannot always be changed; if this one can, choose one without that name. "
                                   "Otherwise keep the account’s posts to people you approved.")));
        }
    }

  /* Pairs of a personal and a professional account. */
  for (guint i = 0; i < profiles->len; i++)
    for (guint j = 0; j < profiles->len; j++)
      {
        const WcProfile *a = g_ptr_array_index (profiles, i);
        const WcProfile *b = g_ptr_array_index (profiles, j);
        g_autofree char *name_a = NULL;
        g_autofree char *name_b = NULL;
        g_autofree char *title_b = NULL;

        if (a->identity != WC_IDENTITY_PERSONAL || b->identity != WC_IDENTITY_PROFESSIONAL)
          continue;
        title_b = account_title (b);

        name_a = display_name_key (a->display_name);
        name_b = display_name_key (b->display_name);
        if (name_a != NULL && name_b != NULL && *name_a != '\0' && g_str_equal (name_a, name_b))
          add_finding (&audit, WC_CROSSLINK_DISPLAY_NAME, a, b->account_id, _("display name"), a->display_name, FALSE,
                       /* Translators: 1: personal account, 2: professional account, 3: the name */
                       g_strdup_printf (_("%s and %s show the same name, “%s”."), a->handle, title_b, a->display_name),
                       g_strdup (_("Use another display name on the personal account, for example a nickname.")));

        if (a->has_avatar_hash && b->has_avatar_hash
            && wc_image_hash_distance (a->avatar_hash, b->avatar_hash) <= WC_AVATAR_HASH_MAX_DISTANCE)
          add_finding (&audit, WC_CROSSLINK_AVATAR, a, b->account_id, _("profile picture"), b->handle, FALSE,
                       g_strdup_printf (_("%s and %s use the same profile picture."), a->handle, title_b),
                       g_strdup (_("Use a different picture on the personal account. A search by image finds the same picture anywhere.")));

        if (g_strcmp0 (a->network, b->network) == 0)
          {
            g_autofree char *stem_a = handle_stem (a);
            g_autofree char *stem_b = handle_stem (b);

            if (strlen (stem_a) >= 3 && g_str_equal (stem_a, stem_b))
              add_finding (&audit, WC_CROSSLINK_HANDLE_STEM, a, b->account_id, _("handle"), stem_a, FALSE,
                           g_strdup_printf (_("%s and %s are almost the same handle on the same network."), a->handle, title_b),
                           g_strdup (_("Someone who knows one handle will try the other. Choose a personal handle that does not resemble the professional one.")));
          }

        for (guint s = 0; snapshots != NULL && s < snapshots->len; s++)
          {
            WcFollowerSnapshot *snapshot = g_ptr_array_index (snapshots, s);
            gint64 owner = wc_follower_snapshot_get_account_id (snapshot);

            if (owner == b->account_id && snapshot_contains (snapshot, a))
              add_finding (&audit, WC_CROSSLINK_FOLLOW, a, b->account_id, _("follows"), b->handle, FALSE,
                           g_strdup_printf (_("Your personal account %s follows your professional account %s."),
                                            a->handle, title_b),
                           g_strdup (_("Unfollow the professional account from the personal one; anyone can see who follows whom.")));
            else if (owner == a->account_id && snapshot_contains (snapshot, b))
              add_finding (&audit, WC_CROSSLINK_FOLLOW, a, b->account_id, _("followers"), b->handle, FALSE,
                           g_strdup_printf (_("Your professional account %s follows your personal account %s."),
                                            title_b, a->handle),
                           g_strdup (_("Remove the professional account from the personal account’s followers, or unfollow from the professional one.")));
          }
      }

  g_ptr_array_sort (audit.findings, compare_findings);
  return audit.findings;
}

guint
wc_crosslink_count_for_account (GPtrArray *findings,
                                gint64     account_id)
{
  guint n = 0;

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const WcCrosslinkFinding *finding = g_ptr_array_index (findings, i);

      if (finding->account_id == account_id || finding->other_account_id == account_id)
        n++;
    }
  return n;
}
