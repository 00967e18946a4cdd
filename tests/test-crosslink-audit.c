/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cross-link audit on synthetic profiles: links to the other identity's
 * domain and accounts (rel=me verified first), markers named in bios and
 * fields, shared display names, the same avatar (a picture re-encoded and
 * resized), the same handle stem, personal and professional accounts that
 * follow each other — and nothing at all in clean, separate profiles. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "wc-crosslink-audit.h"

/* --- Synthetic pictures ------------------------------------------------- */

/* A grey picture: a bright disc on a gradient (kind 0), or stripes (kind 1). */
static guint8 *
draw (guint width,
      guint height,
      int   kind)
{
  guint8 *pixels = g_malloc ((gsize) width * height);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        double fx = (double) x / width, fy = (double) y / height;
        double value;

        if (kind == 0)
          {
            double dx = fx - 0.35, dy = fy - 0.4;

            value = dx * dx + dy * dy < 0.05 ? 240 : 40 + 150 * fx;
          }
        else
          value = ((int) (fy * 7) % 2) ? 220 - 100 * fx : 30 + 120 * fx;
        pixels[(gsize) y * width + x] = (guint8) value;
      }
  return pixels;
}

static GBytes *
encode_png (guint width,
            guint height,
            int   kind)
{
  g_autofree guint8 *pixels = draw (width, height, kind);
  png_image image;
  png_alloc_size_t size = 0;
  guint8 *buffer;

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = PNG_FORMAT_GRAY;
  g_assert_true (png_image_write_get_memory_size (image, size, 0, pixels, 0, NULL));
  buffer = g_malloc (size);
  g_assert_true (png_image_write_to_memory (&image, buffer, &size, 0, pixels, 0, NULL));
  return g_bytes_new_take (buffer, size);
}

static GBytes *
encode_jpeg (guint width,
             guint height,
             int   kind)
{
  g_autofree guint8 *pixels = draw (width, height, kind);
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  GBytes *bytes;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 70, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  {
    g_autofree guint8 *row = g_malloc ((gsize) width * 3);

    while (cinfo.next_scanline < cinfo.image_height)
      {
        JSAMPROW rows[1] = { row };

        /* A colour picture: the hash works on its grey. */
        for (guint x = 0; x < width; x++)
          {
            guint8 v = pixels[(gsize) cinfo.next_scanline * width + x];

            row[x * 3] = v;
            row[x * 3 + 1] = v;
            row[x * 3 + 2] = v;
          }
        jpeg_write_scanlines (&cinfo, rows, 1);
      }
  }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  bytes = g_bytes_new (buffer, size);
  free (buffer);
  return bytes;
}

static guint64
hash_of (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  guint64 hash = 0;

  g_assert_true (wc_image_dhash (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &hash, &error));
  g_assert_no_error (error);
  return hash;
}

static void
test_dhash (void)
{
  g_autoptr(GBytes) png = encode_png (400, 400, 0);
  g_autoptr(GBytes) jpeg_small = encode_jpeg (128, 128, 0);
  g_autoptr(GBytes) jpeg_big = encode_jpeg (1024, 1024, 0);
  g_autoptr(GBytes) other = encode_png (400, 400, 1);
  g_autoptr(GError) error = NULL;
  guint64 a = hash_of (png), b = hash_of (jpeg_small), c = hash_of (jpeg_big), d = hash_of (other);
  guint64 unused = 0;

  g_test_message ("png %016" G_GINT64_MODIFIER "x jpeg %016" G_GINT64_MODIFIER "x big %016"
                  G_GINT64_MODIFIER "x other %016" G_GINT64_MODIFIER "x", a, b, c, d);
  /* The same picture, re-encoded and resized. */
  g_assert_cmpuint (wc_image_hash_distance (a, b), <=, WC_AVATAR_HASH_MAX_DISTANCE);
  g_assert_cmpuint (wc_image_hash_distance (a, c), <=, WC_AVATAR_HASH_MAX_DISTANCE);
  /* Another picture. */
  g_assert_cmpuint (wc_image_hash_distance (a, d), >, 3 * WC_AVATAR_HASH_MAX_DISTANCE);
  g_assert_cmpuint (wc_image_hash_distance (a, a), ==, 0);

  g_assert_false (wc_image_dhash ((const guint8 *) "GIF89a....", 10, &unused, &error));
  g_assert_error (error, WC_IMAGE_HASH_ERROR, 0);
  g_clear_error (&error);
  /* A truncated JPEG fails instead of crashing. */
  g_assert_false (wc_image_dhash (g_bytes_get_data (jpeg_small, NULL), 200, &unused, &error));
  g_assert_nonnull (error);
}

/* --- Identities and profiles -------------------------------------------- */

typedef struct
{
  WcIdentity *personal;
  WcIdentity *professional;
  GPtrArray  *profiles;
  GPtrArray  *snapshots;
} Fixture;

static WcProfile *
add_profile (Fixture        *f,
             gint64          id,
             WcIdentityKind  identity,
             const char     *network,
             const char     *handle,
             const char     *display_name,
             const char     *note)
{
  g_autoptr(WcAccount) account = wc_account_new (identity, network);
  WcProfile *profile;

  wc_account_set_id (account, id);
  wc_account_set_handle (account, handle);
  wc_account_set_display_name (account, display_name);
  profile = wc_profile_new_for_account (account);
  profile->note = g_strdup (note);
  g_ptr_array_add (f->profiles, profile);
  return profile;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->personal = wc_identity_new (WC_IDENTITY_PERSONAL);
  wc_identity_set_name (f->personal, "Annie");
  wc_identity_add_marker (f->personal, WC_MARKER_NICKNAME, "Annie");
  wc_identity_add_marker (f->personal, WC_MARKER_FAMILY_NAME, "Bakker");
  wc_identity_add_marker (f->personal, WC_MARKER_DOMAIN, "annies-garden.example");

  f->professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  wc_identity_set_name (f->professional, "Dr. Anna Jansen");
  wc_identity_add_marker (f->professional, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (f->professional, WC_MARKER_ORGANISATION, "Sint Lucas Ziekenhuis");
  wc_identity_add_marker (f->professional, WC_MARKER_DOMAIN, "praktijkjansen.nl");

  f->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_profile_free);
  f->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_follower_snapshot_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->personal);
  g_assert_finalize_object (f->professional);
  g_ptr_array_unref (f->profiles);
  g_ptr_array_unref (f->snapshots);
}

static GPtrArray *
run (Fixture *f)
{
  GPtrArray *findings = wc_crosslink_audit_run (f->personal, f->professional, f->profiles, f->snapshots);

  for (guint i = 0; i < findings->len; i++)
    {
      WcCrosslinkFinding *finding = g_ptr_array_index (findings, i);

      g_test_message ("finding %d on %" G_GINT64_FORMAT ": %s — %s", finding->kind, finding->account_id,
                      finding->message, finding->fix);
      g_assert_cmpstr (finding->message, !=, "");
      g_assert_cmpstr (finding->fix, !=, "");
    }
  return findings;
}

static const WcCrosslinkFinding *
find (GPtrArray       *findings,
      WcCrosslinkKind  kind,
      gint64           account_id)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const WcCrosslinkFinding *finding = g_ptr_array_index (findings, i);

      if (finding->kind == kind && finding->account_id == account_id)
        return finding;
    }
  return NULL;
}

static guint
count_kind (GPtrArray       *findings,
            WcCrosslinkKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (((WcCrosslinkFinding *) g_ptr_array_index (findings, i))->kind == kind)
      n++;
  return n;
}

static void
test_linked_fields (Fixture       *f,
                    gconstpointer  data)
{
  WcProfile *personal, *professional;
  g_autoptr(GPtrArray) findings = NULL;
  const WcCrosslinkFinding *finding;
  gboolean domain_link = FALSE, verified_link = FALSE;

  personal = add_profile (f, 1, WC_IDENTITY_PERSONAL, "mastodon", "@annie@social.example", "Annie B",
                          "<p>Gardening, two kids. Work: <a href=\"https://www.praktijkjansen.nl/team\" "
                          "rel=\"nofollow noopener\">praktijkjansen.nl/team</a></p>");
  wc_profile_add_field (personal, "Work", "<a href=\"https://med.example/@dr_jansen\" rel=\"me\">"
                        "med.example/@dr_jansen</a>", TRUE);
  wc_profile_add_field (personal, "Blog", "https://annies-garden.example", TRUE);
  professional = add_profile (f, 2, WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr_jansen@med.example",
                              "Dr. Anna Jansen", "Radiologist at Sint Lucas Ziekenhuis.");
  wc_profile_add_field (professional, "Off duty", "Annie", FALSE);
  wc_profile_add_field (professional, "Practice", "https://praktijkjansen.nl", TRUE);

  findings = run (f);
  for (guint i = 0; i < findings->len; i++)
    {
      const WcCrosslinkFinding *link = g_ptr_array_index (findings, i);

      if (link->kind != WC_CROSSLINK_LINK || link->account_id != 1)
        continue;
      if (link->other_account_id == -1 && strstr (link->evidence, "praktijkjansen.nl") != NULL)
        domain_link = TRUE;
      if (link->other_account_id == 2 && link->verified)
        verified_link = TRUE;
    }
  g_assert_true (domain_link);
  g_assert_true (verified_link);
  /* The verified link to the other account comes first. */
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpint (finding->kind, ==, WC_CROSSLINK_LINK);
  g_assert_true (finding->verified);
  g_assert_nonnull (strstr (finding->message, "rel=me"));

  /* The professional profile names the personal nickname. */
  finding = find (findings, WC_CROSSLINK_MENTION, 2);
  g_assert_nonnull (finding);
  g_assert_cmpstr (finding->evidence, ==, "Annie");
  /* Its own hospital, name and domain are no finding. */
  for (guint i = 0; i < findings->len; i++)
    {
      const WcCrosslinkFinding *other = g_ptr_array_index (findings, i);

      if (other->account_id == 2)
        g_assert_cmpstr (other->evidence, ==, "Annie");
    }
  g_assert_cmpuint (wc_crosslink_count_for_account (findings, 1), >=, 2);
}

static void
test_shared_names_avatars_handles_follows (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GBytes) picture = encode_png (300, 300, 0);
  g_autoptr(GBytes) same_picture = encode_jpeg (96, 96, 0);
  WcProfile *personal_bsky, *professional_masto, *personal_x, *professional_x, *personal_masto;
  g_autoptr(GPtrArray) findings = NULL;
  WcFollowerSnapshot *snapshot;
  const WcCrosslinkFinding *finding;

  personal_bsky = add_profile (f, 1, WC_IDENTITY_PERSONAL, "bluesky", "annie-b.bsky.social", "Anna  JANSEN", NULL);
  personal_bsky->has_avatar_hash = TRUE;
  personal_bsky->avatar_hash = hash_of (picture);
  professional_masto = add_profile (f, 2, WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr_jansen@med.example",
                                    "Anna Jansen", NULL);
  professional_masto->has_avatar_hash = TRUE;
  professional_masto->avatar_hash = hash_of (same_picture);
  personal_x = add_profile (f, 3, WC_IDENTITY_PERSONAL, "x", "@anna_jansen", "Annie", NULL);
  professional_x = add_profile (f, 4, WC_IDENTITY_PROFESSIONAL, "x", "@DrAnnaJansen82", "Dr. A. Jansen", NULL);
  personal_masto = add_profile (f, 5, WC_IDENTITY_PERSONAL, "mastodon", "@annie@social.example", "Annie", NULL);
  (void) professional_x;
  (void) personal_x;

  /* The professional account's followers include the personal one. */
  snapshot = wc_follower_snapshot_new (2, 1780000000);
  wc_follower_snapshot_add (snapshot, "someone@else.example", "Someone", NULL);
  wc_follower_snapshot_add (snapshot, "annie@social.example", "Annie", NULL);
  g_ptr_array_add (f->snapshots, snapshot);
  (void) personal_masto;

  findings = run (f);

  finding = find (findings, WC_CROSSLINK_DISPLAY_NAME, 1);
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->other_account_id, ==, 2);
  finding = find (findings, WC_CROSSLINK_AVATAR, 1);
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->other_account_id, ==, 2);
  finding = find (findings, WC_CROSSLINK_HANDLE_STEM, 3);
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->other_account_id, ==, 4);
  g_assert_cmpstr (finding->evidence, ==, "annajansen");
  /* "@anna_jansen" spells the professional real name. */
  finding = find (findings, WC_CROSSLINK_MENTION, 3);
  g_assert_nonnull (finding);
  g_assert_cmpstr (finding->evidence, ==, "Anna Jansen");
  finding = find (findings, WC_CROSSLINK_FOLLOW, 5);
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->other_account_id, ==, 2);
  /* Same network only: the Bluesky and Mastodon handles are not compared. */
  g_assert_cmpuint (count_kind (findings, WC_CROSSLINK_HANDLE_STEM), ==, 1);
  g_assert_cmpuint (count_kind (findings, WC_CROSSLINK_AVATAR), ==, 1);
}

static void
test_clean_profiles (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) picture = encode_png (300, 300, 0);
  g_autoptr(GBytes) other_picture = encode_png (300, 300, 1);
  WcProfile *personal, *professional, *personal_x, *professional_x;
  g_autoptr(GPtrArray) findings = NULL;
  WcFollowerSnapshot *snapshot;

  personal = add_profile (f, 1, WC_IDENTITY_PERSONAL, "mastodon", "@annie@social.example", "Annie B",
                          "<p>Gardening and <a href=\"https://annies-garden.example/roses\">roses</a>.</p>");
  wc_profile_add_field (personal, "Blog", "<a href=\"https://annies-garden.example\" rel=\"me\">"
                        "annies-garden.example</a>", TRUE);
  personal->has_avatar_hash = TRUE;
  personal->avatar_hash = hash_of (other_picture);
  professional = add_profile (f, 2, WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr_jansen@med.example",
                              "Dr. Anna Jansen", "<p>Radiologist at Sint Lucas Ziekenhuis. "
                              "<a href=\"https://praktijkjansen.nl\">praktijkjansen.nl</a></p>");
  wc_profile_add_field (professional, "Practice", "https://praktijkjansen.nl", TRUE);
  professional->has_avatar_hash = TRUE;
  professional->avatar_hash = hash_of (picture);
  personal_x = add_profile (f, 3, WC_IDENTITY_PERSONAL, "x", "@rosegarden_a", "Roses and more", NULL);
  professional_x = add_profile (f, 4, WC_IDENTITY_PROFESSIONAL, "x", "@DrAnnaJansen", "Dr. A. Jansen", NULL);
  (void) personal_x;
  (void) professional_x;

  snapshot = wc_follower_snapshot_new (2, 1780000000);
  wc_follower_snapshot_add (snapshot, "colleague@med.example", "A colleague", NULL);
  wc_follower_snapshot_add (snapshot, "annie@other.example", "Another Annie", NULL);
  g_ptr_array_add (f->snapshots, snapshot);
  snapshot = wc_follower_snapshot_new (1, 1780000000);
  wc_follower_snapshot_add (snapshot, "friend@social.example", "A friend", NULL);
  g_ptr_array_add (f->snapshots, snapshot);

  findings = run (f);
  g_assert_cmpuint (findings->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/crosslink/avatar-hash", test_dhash);
  g_test_add ("/crosslink/linked-fields", Fixture, NULL, fixture_setup, test_linked_fields, fixture_teardown);
  g_test_add ("/crosslink/names-avatars-handles-follows", Fixture, NULL, fixture_setup,
              test_shared_names_avatars_handles_follows, fixture_teardown);
  g_test_add ("/crosslink/clean", Fixture, NULL, fixture_setup, test_clean_profiles, fixture_teardown);

  return g_test_run ();
}
