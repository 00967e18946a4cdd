/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>

#include "wc-image-inspector.h"
#include "wc-image-strip.h"

/* Every picture here is made by the test: encoded with libjpeg or libpng,
 * then given metadata with gexiv2, the way a phone or an editor would.
 * The marker strings must not survive stripping, not even as bytes. */

#define WIDTH   64
#define HEIGHT  48

#define SERIAL_MARKER       "WCSERIAL4711X"
#define DESCRIPTION_MARKER  "Wound day three markerdesc"
#define CAPTION_MARKER      "Mrs Markerlady bed seven"
#define XMP_MARKER          "Xmp markerxmp description"
#define ARTIST_MARKER       "Dr Markerartist"
#define COMMENT_MARKER      "markercomment from the ward"
#define PNG_AUTHOR_MARKER   "Dr Markerpngauthor"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* The upright picture: red grows to the right, green downwards. */
static void
upright_pixel (guint   x,
               guint   y,
               guint   width,
               guint   height,
               guint8 *rgb)
{
  rgb[0] = (guint8) (x * 255 / (width - 1));
  rgb[1] = (guint8) (y * 255 / (height - 1));
  rgb[2] = 128;
}

/* What a camera stores for an upright picture of @width × @height shot
 * with EXIF orientation @orientation: stored row r, column c show the
 * upright point given by the table of TIFF 6.0 tag 274 (where the 0th row
 * and the 0th column lie). */
static guint8 *
stored_pixels (int    orientation,
               guint  width,
               guint  height,
               guint  channels,
               guint *stored_width,
               guint *stored_height)
{
  gboolean swap = orientation >= 5;
  guint sw = swap ? height : width;
  guint sh = swap ? width : height;
  guint8 *pixels = g_malloc0 ((gsize) sw * sh * channels);

  for (guint r = 0; r < sh; r++)
    for (guint c = 0; c < sw; c++)
      {
        guint x, y;
        guint8 rgb[3];

        switch (orientation)
          {
          case 1: x = c; y = r; break;                           /* top, left */
          case 2: x = width - 1 - c; y = r; break;               /* top, right */
          case 3: x = width - 1 - c; y = height - 1 - r; break;  /* bottom, right */
          case 4: x = c; y = height - 1 - r; break;              /* bottom, left */
          case 5: x = r; y = c; break;                           /* left, top */
          case 6: x = width - 1 - r; y = c; break;               /* right, top */
          case 7: x = width - 1 - r; y = height - 1 - c; break;  /* right, bottom */
          case 8: x = r; y = height - 1 - c; break;              /* left, bottom */
          default: g_assert_not_reached ();
          }
        upright_pixel (x, y, width, height, rgb);
        memcpy (pixels + ((gsize) r * sw + c) * channels, rgb, MIN (channels, 3));
        if (channels == 4)
          pixels[((gsize) r * sw + c) * channels + 3] = (guint8) (255 - c);
      }

  *stored_width = sw;
  *stored_height = sh;
  return pixels;
}

static void
encode_jpeg_file (const char     *path,
                  const guint8   *pixels,
                  guint           width,
                  guint           height,
                  J_COLOR_SPACE   space,
                  int             components,
                  const char     *comment)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  FILE *file = fopen (path, "wb");

  g_assert_nonnull (file);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, file);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = components;
  cinfo.in_color_space = space;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 95, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  if (comment != NULL)
    jpeg_write_marker (&cinfo, JPEG_COM, (const JOCTET *) comment, strlen (comment));
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) pixels + (gsize) cinfo.next_scanline * width * components;
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  fclose (file);
}

static guint8 *
decode_jpeg_file (const char *path,
                  guint      *width,
                  guint      *height,
                  guint      *channels)
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr jerr;
  FILE *file = fopen (path, "rb");
  guint8 *pixels;

  g_assert_nonnull (file);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_decompress (&cinfo);
  jpeg_stdio_src (&cinfo, file);
  jpeg_read_header (&cinfo, TRUE);
  jpeg_start_decompress (&cinfo);
  *width = cinfo.output_width;
  *height = cinfo.output_height;
  *channels = cinfo.output_components;
  pixels = g_malloc ((gsize) *width * *height * *channels);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = pixels + (gsize) cinfo.output_scanline * *width * *channels;
      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
  fclose (file);
  return pixels;
}

/* A PNG with text chunks, written with the full libpng API. */
static void
encode_png_file (const char   *path,
                 const guint8 *pixels,
                 guint         width,
                 guint         height,
                 gboolean      alpha,
                 gboolean      with_text)
{
  FILE *file = fopen (path, "wb");
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  guint channels = alpha ? 4 : 3;

  g_assert_nonnull (file);
  png_init_io (png, file);
  png_set_IHDR (png, info, width, height, 8,
                alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (with_text)
    {
      png_text text[3] = {
        { .compression = PNG_TEXT_COMPRESSION_NONE, .key = (char *) "Author", .text = (char *) PNG_AUTHOR_MARKER },
        { .compression = PNG_TEXT_COMPRESSION_zTXt, .key = (char *) "Comment", .text = (char *) COMMENT_MARKER },
        { .compression = PNG_TEXT_COMPRESSION_NONE, .key = (char *) "Software", .text = (char *) "Markerpaint 2.0" },
      };
      png_time mod_time = { 2024, 3, 12, 10, 15, 0 };

      png_set_text (png, info, text, G_N_ELEMENTS (text));
      png_set_tIME (png, info, &mod_time);
    }
  png_write_info (png, info);
  for (guint y = 0; y < height; y++)
    png_write_row (png, pixels + (gsize) y * width * channels);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  fclose (file);
}

static GBytes *
small_jpeg_bytes (void)
{
  g_autofree char *path = tmp_path ("thumb-source.jpg");
  guint8 pixels[16 * 12 * 3];
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  for (guint i = 0; i < sizeof pixels; i++)
    pixels[i] = (guint8) (i * 7);
  encode_jpeg_file (path, pixels, 16, 12, JCS_RGB, 3, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return g_bytes_new_take (contents, length);
}

/* What a phone and a photo app leave in a picture. */
static void
add_metadata (const char *path,
              int         orientation,
              gboolean    thumbnail)
{
  g_autoptr(GExiv2Metadata) metadata = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  const struct { const char *tag, *value; } tags[] = {
    { "Exif.Photo.DateTimeOriginal", "2024:03:12 10:15:00" },
    { "Exif.Photo.BodySerialNumber", SERIAL_MARKER },
    { "Exif.Image.Make", "Markercam" },
    { "Exif.Image.Model", "Clinicam 3000" },
    { "Exif.Image.ImageDescription", DESCRIPTION_MARKER },
    { "Exif.Image.Software", "Markerphoto 1.2" },
    { "Exif.Image.Artist", ARTIST_MARKER },
    { "Xmp.dc.description", XMP_MARKER },
    { "Iptc.Application2.Caption", CAPTION_MARKER },
  };

  gexiv2_metadata_open_path (metadata, path, &error);
  g_assert_no_error (error);

  gexiv2_metadata_try_set_gps_info (metadata, 4.8897, 52.3731, 2.5, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      gexiv2_metadata_try_set_tag_string (metadata, tags[i].tag, tags[i].value, &error);
      g_assert_no_error (error);
    }
  if (orientation > 0)
    {
      gexiv2_metadata_try_set_orientation (metadata, orientation, &error);
      g_assert_no_error (error);
    }
  if (thumbnail)
    {
      g_autoptr(GBytes) thumb = small_jpeg_bytes ();

      gexiv2_metadata_try_set_exif_thumbnail_from_buffer (metadata,
                                                          g_bytes_get_data (thumb, NULL),
                                                          (int) g_bytes_get_size (thumb),
                                                          &error);
      g_assert_no_error (error);
    }

  gexiv2_metadata_save_file (metadata, path, &error);
  g_assert_no_error (error);
}

static char *
make_jpeg (const char *name,
           int         orientation,
           gboolean    with_metadata,
           const char *comment)
{
  char *path = tmp_path (name);
  guint sw, sh;
  g_autofree guint8 *pixels = stored_pixels (MAX (orientation, 1), WIDTH, HEIGHT, 3, &sw, &sh);

  encode_jpeg_file (path, pixels, sw, sh, JCS_RGB, 3, comment);
  if (with_metadata)
    add_metadata (path, orientation, TRUE);
  return path;
}

static char *
make_png (const char *name,
          int         orientation,
          gboolean    alpha,
          gboolean    with_metadata)
{
  char *path = tmp_path (name);
  guint sw, sh;
  g_autofree guint8 *pixels = stored_pixels (MAX (orientation, 1), WIDTH, HEIGHT,
                                             alpha ? 4 : 3, &sw, &sh);

  encode_png_file (path, pixels, sw, sh, alpha, with_metadata);
  if (with_metadata)
    add_metadata (path, orientation, FALSE);
  return path;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return memmem (data, length, needle, strlen (needle)) != NULL;
}

static void
assert_no_markers (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  const char *markers[] = {
    SERIAL_MARKER, DESCRIPTION_MARKER, CAPTION_MARKER, XMP_MARKER, ARTIST_MARKER,
    COMMENT_MARKER, PNG_AUTHOR_MARKER, "Markercam", "Clinicam", "Markerphoto",
    "Markerpaint", "Exif", "http://ns.adobe.com", "2024:03:12",
  };

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (bytes_contain (bytes, markers[i]))
      g_error ("“%s” survived stripping", markers[i]);
}

/* Read back with gexiv2: nothing at all. */
static void
assert_no_metadata (const char *path)
{
  g_autoptr(GExiv2Metadata) metadata = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) exif = NULL;
  g_auto(GStrv) xmp = NULL;
  g_auto(GStrv) iptc = NULL;
  g_autofree guint8 *thumbnail = NULL;
  g_autofree char *comment = NULL;
  GExiv2PreviewProperties **previews;
  int thumbnail_size = 0;

  gexiv2_metadata_open_path (metadata, path, &error);
  g_assert_no_error (error);

  exif = gexiv2_metadata_get_exif_tags (metadata);
  xmp = gexiv2_metadata_get_xmp_tags (metadata);
  iptc = gexiv2_metadata_get_iptc_tags (metadata);
  g_assert_true (exif == NULL || exif[0] == NULL);
  g_assert_true (xmp == NULL || xmp[0] == NULL);
  g_assert_true (iptc == NULL || iptc[0] == NULL);
  g_assert_false (gexiv2_metadata_has_exif (metadata));
  g_assert_false (gexiv2_metadata_has_xmp (metadata));
  g_assert_false (gexiv2_metadata_has_iptc (metadata));

  if (gexiv2_metadata_get_exif_thumbnail (metadata, &thumbnail, &thumbnail_size))
    g_assert_cmpint (thumbnail_size, ==, 0);
  previews = gexiv2_metadata_get_preview_properties (metadata);
  g_assert_true (previews == NULL || previews[0] == NULL);

  comment = gexiv2_metadata_try_get_comment (metadata, &error);
  g_assert_no_error (error);
  g_assert_true (comment == NULL || comment[0] == '\0');
}

/* The markers of a JPEG up to the scan: no APPn, no COM. */
static void
assert_bare_jpeg_markers (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize pos = 2;

  g_assert_cmpuint (length, >, 4);
  g_assert_cmpint (data[0], ==, 0xFF);
  g_assert_cmpint (data[1], ==, 0xD8);
  while (pos + 4 <= length && data[pos + 1] != 0xDA)
    {
      guint8 marker = data[pos + 1];

      g_assert_cmpint (data[pos], ==, 0xFF);
      if (marker >= 0xE0 && marker <= 0xEF)
        g_error ("APP%d segment in a stripped JPEG", marker - 0xE0);
      if (marker == 0xFE)
        g_error ("COM segment in a stripped JPEG");
      pos += 2 + ((data[pos + 2] << 8) | data[pos + 3]);
    }
  /* Nothing after the end of the image either. */
  g_assert_cmpint (data[length - 2], ==, 0xFF);
  g_assert_cmpint (data[length - 1], ==, 0xD9);
}

/* The chunks of a PNG: only the critical ones and colour space. */
static void
assert_bare_png_chunks (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize pos = 8;
  const char *allowed[] = { "IHDR", "PLTE", "IDAT", "IEND", "sRGB", "gAMA", "cHRM", "tRNS" };

  while (pos + 12 <= length)
    {
      gsize chunk = ((gsize) data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
      char type[5] = { 0 };
      gboolean ok = FALSE;

      memcpy (type, data + pos + 4, 4);
      for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
        ok |= g_str_equal (type, allowed[i]);
      if (!ok)
        g_error ("%s chunk in a stripped PNG", type);
      pos += 12 + chunk;
      if (g_str_equal (type, "IEND"))
        break;
    }
  g_assert_cmpuint (pos, ==, length);
}

static void
assert_private_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
assert_close (const guint8 *got,
              const guint8 *want,
              guint         channels)
{
  for (guint i = 0; i < MIN (channels, 3); i++)
    g_assert_cmpint (ABS ((int) got[i] - (int) want[i]), <=, 24);
}

/* The stripped picture shows the upright picture, at its size. */
static void
assert_upright (const guint8 *pixels,
                guint         width,
                guint         height,
                guint         channels)
{
  const guint points[][2] = {
    { 0, 0 }, { WIDTH - 1, 0 }, { 0, HEIGHT - 1 }, { WIDTH - 1, HEIGHT - 1 },
    { WIDTH / 2, HEIGHT / 2 }, { 5, HEIGHT - 9 },
  };

  g_assert_cmpuint (width, ==, WIDTH);
  g_assert_cmpuint (height, ==, HEIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      guint x = points[i][0], y = points[i][1];
      guint8 want[3];

      upright_pixel (x, y, WIDTH, HEIGHT, want);
      assert_close (pixels + ((gsize) y * width + x) * channels, want, channels);
    }
}

static void
test_jpeg_with_metadata (void)
{
  g_autofree char *path = make_jpeg ("phone.jpg", 1, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);
  const struct { WcImageItemKind kind; const char *name; } expected[] = {
    { WC_IMAGE_ITEM_GPS, "GPS position" },
    { WC_IMAGE_ITEM_METADATA, "Capture time" },
    { WC_IMAGE_ITEM_METADATA, "Camera serial number" },
    { WC_IMAGE_ITEM_METADATA, "Camera make and model" },
    { WC_IMAGE_ITEM_METADATA, "Software" },
    { WC_IMAGE_ITEM_METADATA, "Author" },
    { WC_IMAGE_ITEM_CAPTION, "Description" },
    { WC_IMAGE_ITEM_CAPTION, "Caption" },
    { WC_IMAGE_ITEM_THUMBNAIL, "Embedded thumbnail" },
  };
  g_autoptr(GBytes) bytes = read_bytes (path);

  /* The test's own markers are really in the file. */
  g_assert_true (bytes_contain (bytes, SERIAL_MARKER));
  g_assert_true (bytes_contain (bytes, CAPTION_MARKER));

  g_assert_no_error (error);
  g_assert_false (wc_image_report_get_is_dicom (report));
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpstr (wc_image_report_get_format (report), ==, "image/jpeg");
  g_assert_cmpint (wc_image_report_get_width (report), ==, WIDTH);
  g_assert_cmpint (wc_image_report_get_height (report), ==, HEIGHT);
  g_assert_true (wc_image_report_get_has_metadata (report));
  g_assert_true (wc_image_report_get_can_strip (report));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < wc_image_report_get_n_items (report); j++)
        {
          const WcImageItem *item = wc_image_report_get_item (report, j);
          if (g_str_equal (item->name, expected[i].name))
            {
              g_assert_cmpint (item->kind, ==, expected[i].kind);
              found = TRUE;
            }
        }
      if (!found)
        g_error ("“%s” not reported", expected[i].name);
    }
  g_assert_true (wc_image_report_has_kind (report, WC_IMAGE_ITEM_GPS));
  g_assert_true (wc_image_report_has_kind (report, WC_IMAGE_ITEM_THUMBNAIL));
  g_assert_false (wc_image_report_has_kind (report, WC_IMAGE_ITEM_DICOM_IDENTIFIER));

  /* Names only: no value ever reaches the report. */
  for (guint j = 0; j < wc_image_report_get_n_items (report); j++)
    {
      const char *name = wc_image_report_get_item (report, j)->name;
      g_assert_null (strstr (name, "Marker"));
      g_assert_null (strstr (name, SERIAL_MARKER));
    }
}

static void
test_jpeg_without_metadata (void)
{
  g_autofree char *path = make_jpeg ("plain.jpg", 1, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpstr (wc_image_report_get_format (report), ==, "image/jpeg");
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, 0);
  g_assert_false (wc_image_report_get_has_metadata (report));
  g_assert_cmpint (wc_image_report_get_width (report), ==, WIDTH);
}

static void
test_jpeg_comment (void)
{
  g_autofree char *path = make_jpeg ("comment.jpg", 1, FALSE, COMMENT_MARKER);
  g_autofree char *out = tmp_path ("comment-stripped.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (wc_image_report_has_item (report, "Comment"));
  g_assert_true (wc_image_report_has_kind (report, WC_IMAGE_ITEM_CAPTION));

  g_assert_true (wc_image_strip_metadata (path, out, &error));
  g_assert_no_error (error);
  assert_no_markers (out);
  assert_bare_jpeg_markers (out);
}

static void
check_stripped_jpeg (const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = NULL;
  g_autofree guint8 *pixels = NULL;
  guint width, height, channels;

  assert_no_metadata (out);
  assert_no_markers (out);
  assert_bare_jpeg_markers (out);

  report = wc_image_inspect_file (out, &error);
  g_assert_no_error (error);
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, 0);
  g_assert_false (wc_image_report_get_has_metadata (report));

  pixels = decode_jpeg_file (out, &width, &height, &channels);
  g_assert_cmpuint (channels, ==, 3);
  assert_upright (pixels, width, height, channels);
}

static void
test_jpeg_strip (void)
{
  g_autofree char *path = make_jpeg ("sideways.jpg", 6, TRUE, COMMENT_MARKER);
  g_autofree char *out = tmp_path ("sideways-stripped.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) before = wc_image_inspect_file (path, &error);
  g_autoptr(GBytes) original = NULL;

  /* Stored sideways: 48 wide, 64 high, turned upright by the tag. */
  g_assert_no_error (error);
  g_assert_cmpint (wc_image_report_get_width (before), ==, HEIGHT);
  g_assert_cmpint (wc_image_report_get_height (before), ==, WIDTH);

  g_assert_true (wc_image_strip_metadata (path, out, &error));
  g_assert_no_error (error);
  assert_private_mode (out);
  check_stripped_jpeg (out);

  /* The original is left alone. */
  original = read_bytes (path);
  g_assert_true (bytes_contain (original, SERIAL_MARKER));
}

static void
test_jpeg_orientations (void)
{
  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autofree char *name = g_strdup_printf ("orientation-%d.jpg", orientation);
      g_autofree char *out_name = g_strdup_printf ("orientation-%d-stripped.jpg", orientation);
      g_autofree char *path = make_jpeg (name, orientation, TRUE, NULL);
      g_autofree char *out = tmp_path (out_name);
      g_autoptr(GError) error = NULL;

      g_test_message ("orientation %d", orientation);
      g_assert_true (wc_image_strip_metadata (path, out, &error));
      g_assert_no_error (error);
      check_stripped_jpeg (out);
    }
}

static void
test_jpeg_strip_in_place (void)
{
  g_autofree char *path = make_jpeg ("in-place.jpg", 3, TRUE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_image_strip_metadata (path, path, &error));
  g_assert_no_error (error);
  check_stripped_jpeg (path);
}

static void
test_jpeg_cmyk (void)
{
  g_autofree char *path = tmp_path ("cmyk.jpg");
  g_autofree char *out = tmp_path ("cmyk-stripped.jpg");
  g_autofree guint8 *cmyk = g_malloc ((gsize) WIDTH * HEIGHT * 4);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pixels = NULL;
  guint width, height, channels;

  /* libjpeg writes CMYK with an Adobe marker, inverted as Photoshop does:
   * 255 - C etc., here pure cyan on white. */
  for (guint i = 0; i < (guint) WIDTH * HEIGHT; i++)
    {
      cmyk[4 * i] = 0;          /* full cyan */
      cmyk[4 * i + 1] = 255;
      cmyk[4 * i + 2] = 255;
      cmyk[4 * i + 3] = 255;
    }
  encode_jpeg_file (path, cmyk, WIDTH, HEIGHT, JCS_CMYK, 4, NULL);

  g_assert_true (wc_image_strip_metadata (path, out, &error));
  g_assert_no_error (error);
  assert_bare_jpeg_markers (out);
  pixels = decode_jpeg_file (out, &width, &height, &channels);
  g_assert_cmpuint (channels, ==, 3);
  g_assert_cmpuint (width, ==, WIDTH);
  /* Cyan: no red, full green and blue. */
  g_assert_cmpint (pixels[0], <=, 24);
  g_assert_cmpint (pixels[1], >=, 231);
  g_assert_cmpint (pixels[2], >=, 231);
}

static void
check_stripped_png (const char *out,
                    gboolean    alpha)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  g_autofree guint8 *pixels = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = NULL;

  assert_no_metadata (out);
  assert_no_markers (out);
  assert_bare_png_chunks (out);

  report = wc_image_inspect_file (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_image_report_get_format (report), ==, "image/png");
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, 0);
  g_assert_false (wc_image_report_get_has_metadata (report));

  g_assert_true (png_image_begin_read_from_file (&image, out));
  g_assert_cmpint (!!(image.format & PNG_FORMAT_FLAG_ALPHA), ==, alpha);
  image.format = PNG_FORMAT_RGBA;
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  g_assert_true (png_image_finish_read (&image, NULL, pixels, 0, NULL));
  assert_upright (pixels, image.width, image.height, 4);
}

static void
test_png_with_metadata (void)
{
  g_autofree char *path = make_png ("screenshot.png", 1, TRUE, TRUE);
  g_autofree char *out = tmp_path ("screenshot-stripped.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);
  const char *expected[] = {
    "GPS position", "Capture time", "Camera serial number", "Camera make and model",
    "Description", "Caption", "Author", "Software", "Comment", "Modification time",
  };

  g_assert_no_error (error);
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpstr (wc_image_report_get_format (report), ==, "image/png");
  g_assert_cmpint (wc_image_report_get_width (report), ==, WIDTH);
  g_assert_cmpint (wc_image_report_get_height (report), ==, HEIGHT);
  g_assert_true (wc_image_report_get_can_strip (report));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!wc_image_report_has_item (report, expected[i]))
      g_error ("“%s” not reported", expected[i]);

  g_assert_true (wc_image_strip_metadata (path, out, &error));
  g_assert_no_error (error);
  check_stripped_png (out, TRUE);
}

static void
test_png_orientation (void)
{
  g_autofree char *path = make_png ("sideways.png", 6, FALSE, TRUE);
  g_autofree char *out = tmp_path ("sideways-stripped.png");
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_image_strip_metadata (path, out, &error));
  g_assert_no_error (error);
  check_stripped_png (out, FALSE);
}

static void
test_png_without_metadata (void)
{
  g_autofree char *path = make_png ("plain.png", 1, FALSE, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, 0);
  g_assert_false (wc_image_report_get_has_metadata (report));
}

static void
test_strip_to_temp (void)
{
  g_autofree char *path = make_jpeg ("upload.jpg", 8, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = wc_image_strip_to_temp (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (temp);
  g_assert_true (g_str_has_suffix (temp, ".jpg"));
  assert_private_mode (temp);
  check_stripped_jpeg (temp);
  g_unlink (temp);
}

static void
test_garbage (void)
{
  g_autofree char *path = tmp_path ("garbage.jpg");
  g_autofree char *empty = tmp_path ("empty.png");
  g_autofree char *missing = tmp_path ("missing.jpg");
  g_autofree char *out = tmp_path ("garbage-stripped.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = NULL;
  g_autoptr(WcImageReport) empty_report = NULL;
  guint8 noise[4096];

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_test_rand_int_range (1, 256);
  g_file_set_contents (path, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);

  report = wc_image_inspect_file (path, &error);
  g_assert_no_error (error);
  g_assert_false (wc_image_report_get_readable (report));
  g_assert_false (wc_image_report_get_is_dicom (report));
  g_assert_false (wc_image_report_get_can_strip (report));
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, 0);

  empty_report = wc_image_inspect_file (empty, &error);
  g_assert_no_error (error);
  g_assert_false (wc_image_report_get_readable (empty_report));
  g_assert_null (wc_image_report_get_format (empty_report));

  g_assert_null (wc_image_inspect_file (missing, &error));
  g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (wc_image_strip_metadata (path, out, &error));
  g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "JPEG and PNG"));
  g_clear_error (&error);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  g_assert_false (wc_image_strip_metadata (missing, out, &error));
  g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (wc_image_strip_to_temp (empty, &error));
  g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_UNSUPPORTED);
}

/* Cut short at every length: errors, never a crash; the decoders are
 * only asked for files whose headers at least are whole. */
static void
test_truncated (void)
{
  const char *sources[] = { "truncate-me.jpg", "truncate-me.png" };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autofree char *path = s == 0 ? make_jpeg (sources[s], 6, TRUE, COMMENT_MARKER)
                                     : make_png (sources[s], 1, TRUE, TRUE);
      g_autofree char *cut = tmp_path ("cut");
      g_autofree char *out = tmp_path ("cut-stripped");
      g_autoptr(GBytes) bytes = read_bytes (path);
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      gsize step = MAX (size / 97, 1);

      for (gsize length = 0; length < size; length += step)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(WcImageReport) report = NULL;

          g_file_set_contents (cut, data, length, &error);
          g_assert_no_error (error);

          report = wc_image_inspect_file (cut, &error);
          g_assert_no_error (error);
          g_assert_nonnull (report);

          if (wc_image_strip_metadata (cut, out, &error))
            assert_no_markers (out);
          else
            g_assert_true (error->domain == WC_IMAGE_ERROR);
        }
      g_unlink (cut);
      g_unlink (out);
    }
}

static gpointer
inspect_thread (gpointer data)
{
  const char *path = data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);

      g_assert_no_error (error);
      g_assert_true (wc_image_report_has_item (report, "GPS position"));
    }
  return NULL;
}

/* Callers inspect in threads: several at once must agree. */
static void
test_threads (void)
{
  g_autofree char *path = make_jpeg ("threads.jpg", 1, TRUE, NULL);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("inspect", inspect_thread, path);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = tmp_path (name);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Before any GExiv2Metadata exists, so exiv2 warnings go to g_debug(). */
  wc_image_init_gexiv2 ();

  tmp_dir = g_dir_make_tmp ("wc-test-images-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/images/jpeg/with-metadata", test_jpeg_with_metadata);
  g_test_add_func ("/images/jpeg/without-metadata", test_jpeg_without_metadata);
  g_test_add_func ("/images/jpeg/comment", test_jpeg_comment);
  g_test_add_func ("/images/jpeg/strip", test_jpeg_strip);
  g_test_add_func ("/images/jpeg/orientations", test_jpeg_orientations);
  g_test_add_func ("/images/jpeg/strip-in-place", test_jpeg_strip_in_place);
  g_test_add_func ("/images/jpeg/cmyk", test_jpeg_cmyk);
  g_test_add_func ("/images/png/with-metadata", test_png_with_metadata);
  g_test_add_func ("/images/png/orientation", test_png_orientation);
  g_test_add_func ("/images/png/without-metadata", test_png_without_metadata);
  g_test_add_func ("/images/strip-to-temp", test_strip_to_temp);
  g_test_add_func ("/images/garbage", test_garbage);
  g_test_add_func ("/images/truncated", test_truncated);
  g_test_add_func ("/images/threads", test_threads);

  status = g_test_run ();
  remove_tmp_dir ();
  return status;
}
