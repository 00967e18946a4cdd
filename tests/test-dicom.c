/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "wc-dicom.h"
#include "wc-image-inspector.h"
#include "wc-image-strip.h"

/* DICOM files written here, element by element, so that the walk is tested
 * against what PS3.5/PS3.10 say rather than against a parser's output.
 * The patient is made up. */

typedef struct
{
  GByteArray *bytes;
  gboolean    explicit_vr;
  gboolean    big_endian;
} Writer;

static const char long_vrs[][3] = {
  "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV",
};

static void
put_u16 (Writer  *w,
         guint16  v)
{
  guint8 b[2];

  if (w->big_endian)
    {
      b[0] = v >> 8;
      b[1] = v & 0xFF;
    }
  else
    {
      b[0] = v & 0xFF;
      b[1] = v >> 8;
    }
  g_byte_array_append (w->bytes, b, 2);
}

static void
put_u32 (Writer  *w,
         guint32  v)
{
  if (w->big_endian)
    {
      put_u16 (w, v >> 16);
      put_u16 (w, v & 0xFFFF);
    }
  else
    {
      put_u16 (w, v & 0xFFFF);
      put_u16 (w, v >> 16);
    }
}

static gboolean
is_long_vr (const char *vr)
{
  for (guint i = 0; i < G_N_ELEMENTS (long_vrs); i++)
    if (strcmp (vr, long_vrs[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
put_header (Writer     *w,
            guint16     group,
            guint16     element,
            const char *vr,
            guint32     length)
{
  put_u16 (w, group);
  put_u16 (w, element);
  if (!w->explicit_vr || group == 0xFFFE)
    {
      put_u32 (w, length);
      return;
    }
  g_byte_array_append (w->bytes, (const guint8 *) vr, 2);
  if (is_long_vr (vr))
    {
      put_u16 (w, 0);
      put_u32 (w, length);
    }
  else
    {
      put_u16 (w, (guint16) length);
    }
}

/* A string value, padded to an even length as PS3.5 §6.2 asks. */
static void
put_string (Writer     *w,
            guint16     group,
            guint16     element,
            const char *vr,
            const char *value)
{
  gsize n = strlen (value);
  guint8 pad = strcmp (vr, "UI") == 0 ? '\0' : ' ';

  put_header (w, group, element, vr, (guint32) (n + (n & 1)));
  g_byte_array_append (w->bytes, (const guint8 *) value, n);
  if (n & 1)
    g_byte_array_append (w->bytes, &pad, 1);
}

static void
put_us (Writer  *w,
        guint16  group,
        guint16  element,
        guint16  value)
{
  put_header (w, group, element, "US", 2);
  put_u16 (w, value);
}

static void
put_item_tag (Writer  *w,
              guint16  element,
              guint32  length)
{
  put_u16 (w, 0xFFFE);
  put_u16 (w, element);
  put_u32 (w, length);
}

/* Preamble, "DICM" and the file meta group (always explicit VR LE). */
static Writer
begin_part10 (const char *transfer_syntax)
{
  Writer w = { g_byte_array_new (), TRUE, FALSE };
  Writer meta = { g_byte_array_new (), TRUE, FALSE };
  guint8 zero[128] = { 0 };
  guint8 version[2] = { 0, 1 };

  g_byte_array_append (w.bytes, zero, sizeof zero);
  g_byte_array_append (w.bytes, (const guint8 *) "DICM", 4);

  put_header (&meta, 0x0002, 0x0001, "OB", 2);
  g_byte_array_append (meta.bytes, version, 2);
  put_string (&meta, 0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7");
  put_string (&meta, 0x0002, 0x0003, "UI", "1.2.826.0.1.3680043.2.1125.1");
  put_string (&meta, 0x0002, 0x0010, "UI", transfer_syntax);

  put_header (&w, 0x0002, 0x0000, "UL", 4);
  put_u32 (&w, meta.bytes->len);
  g_byte_array_append (w.bytes, meta.bytes->data, meta.bytes->len);
  g_byte_array_unref (meta.bytes);
  return w;
}

/* Explicit VR little endian, with preamble, as the issue describes:
 * PatientName, PatientBirthDate, InstitutionName, a private tag, plus
 * sequences of both kinds of length and encapsulated pixel data. */
static GBytes *
make_explicit_file (void)
{
  Writer w = begin_part10 ("1.2.840.10008.1.2.1");
  Writer item = { g_byte_array_new (), TRUE, FALSE };
  guint8 pixels[32] = { 0 };

  put_string (&w, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  put_string (&w, 0x0008, 0x0060, "CS", "OT");
  put_string (&w, 0x0008, 0x0080, "LO", "St Elsewhere General Hospital");

  /* ReferencedStudySequence, undefined length, an undefined-length item
   * holding a ReferringPhysicianName. */
  put_header (&w, 0x0008, 0x1110, "SQ", 0xFFFFFFFF);
  put_item_tag (&w, 0xE000, 0xFFFFFFFF);
  put_string (&w, 0x0008, 0x0090, "PN", "Welby^Marcus");
  put_item_tag (&w, 0xE00D, 0);
  put_item_tag (&w, 0xE0DD, 0);

  /* ReferencedSeriesSequence, defined length, holding an AccessionNumber. */
  put_string (&item, 0x0008, 0x0050, "SH", "ACC00042");
  put_header (&w, 0x0008, 0x1115, "SQ", item.bytes->len + 8);
  put_item_tag (&w, 0xE000, item.bytes->len);
  g_byte_array_append (w.bytes, item.bytes->data, item.bytes->len);
  g_byte_array_unref (item.bytes);

  put_string (&w, 0x0009, 0x0010, "LO", "ACME RESEARCH 1.0");
  put_string (&w, 0x0009, 0x1001, "LO", "private note");
  put_string (&w, 0x0010, 0x0010, "PN", "Doe^Jane");
  put_string (&w, 0x0010, 0x0020, "LO", "");      /* emptied: not reported */
  put_string (&w, 0x0010, 0x0030, "DA", "19570312");
  put_us (&w, 0x0028, 0x0010, 4);                 /* Rows */
  put_us (&w, 0x0028, 0x0011, 8);                 /* Columns */
  put_string (&w, 0x0028, 0x0301, "CS", "NO");

  /* Encapsulated pixel data: an empty offset table and one fragment. */
  put_header (&w, 0x7FE0, 0x0010, "OB", 0xFFFFFFFF);
  put_item_tag (&w, 0xE000, 0);
  put_item_tag (&w, 0xE000, sizeof pixels);
  g_byte_array_append (w.bytes, pixels, sizeof pixels);
  put_item_tag (&w, 0xE0DD, 0);

  return g_byte_array_free_to_bytes (w.bytes);
}

/* No preamble, no meta group: implicit VR little endian from group 0008. */
static GBytes *
make_implicit_file (void)
{
  Writer w = { g_byte_array_new (), FALSE, FALSE };
  Writer item = { g_byte_array_new (), FALSE, FALSE };
  guint8 pixels[16] = { 0 };

  put_string (&w, 0x0008, 0x0005, "CS", "ISO_IR 100");
  put_string (&w, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  put_string (&w, 0x0008, 0x0020, "DA", "20240102");

  /* A sequence of undefined length with an address in it. */
  put_header (&w, 0x0008, 0x1110, NULL, 0xFFFFFFFF);
  put_item_tag (&w, 0xE000, 0xFFFFFFFF);
  put_string (&w, 0x0010, 0x1040, "LO", "1 Main Street");
  put_item_tag (&w, 0xE00D, 0);
  put_item_tag (&w, 0xE0DD, 0);

  /* A sequence of defined length: implicit VR cannot say it is one. */
  put_string (&item, 0x0008, 0x1010, "SH", "CT01");
  put_header (&w, 0x0008, 0x1115, NULL, item.bytes->len + 8);
  put_item_tag (&w, 0xE000, item.bytes->len);
  g_byte_array_append (w.bytes, item.bytes->data, item.bytes->len);
  g_byte_array_unref (item.bytes);

  put_string (&w, 0x0010, 0x0010, "PN", "Roe^Richard");
  put_string (&w, 0x0010, 0x0020, "LO", "123456");
  put_us (&w, 0x0028, 0x0010, 2);
  put_us (&w, 0x0028, 0x0011, 4);
  put_string (&w, 0x0028, 0x0301, "CS", "YES");
  put_header (&w, 0x7FE0, 0x0010, NULL, sizeof pixels);
  g_byte_array_append (w.bytes, pixels, sizeof pixels);

  return g_byte_array_free_to_bytes (w.bytes);
}

static GBytes *
make_big_endian_file (void)
{
  Writer w = begin_part10 ("1.2.840.10008.1.2.2");

  w.big_endian = TRUE;
  put_string (&w, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  put_string (&w, 0x0010, 0x0010, "PN", "Doe^John");
  put_us (&w, 0x0028, 0x0010, 3);
  put_us (&w, 0x0028, 0x0011, 5);
  return g_byte_array_free_to_bytes (w.bytes);
}

static char *
write_temp (GBytes     *bytes,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wc-test-dicom-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* A copy of exactly @length bytes on the heap, so that AddressSanitizer
 * sees any read past the end. */
static WcDicomScan
scan_exact (const guint8 *data,
            gsize         length,
            gboolean     *is_dicom)
{
  g_autofree guint8 *copy = g_memdup2 (data, length);
  WcDicomScan scan;

  *is_dicom = wc_dicom_scan (copy, length, &scan);
  g_assert_cmpint (*is_dicom, ==, wc_dicom_sniff (copy, length));
  return scan;
}

static void
test_explicit_with_preamble (void)
{
  g_autoptr(GBytes) bytes = make_explicit_file ();
  gboolean is_dicom;
  WcDicomScan scan = scan_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &is_dicom);

  g_assert_true (is_dicom);
  g_assert_true (scan.readable);
  g_assert_cmpuint (scan.rows, ==, 4);
  g_assert_cmpuint (scan.columns, ==, 8);
  g_assert_false (scan.burned_in_annotation_yes);

  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_NAME));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_BIRTH_DATE));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_INSTITUTION_NAME));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PRIVATE_TAGS));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_REFERRING_PHYSICIAN_NAME));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_ACCESSION_NUMBER));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_BURNED_IN_ANNOTATION));
  g_assert_false (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_ID));
  g_assert_false (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_ADDRESS));
  g_assert_false (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_STUDY_DATE));
}

static void
test_implicit_without_preamble (void)
{
  g_autoptr(GBytes) bytes = make_implicit_file ();
  gboolean is_dicom;
  WcDicomScan scan = scan_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &is_dicom);

  g_assert_true (is_dicom);
  g_assert_true (scan.readable);
  g_assert_cmpuint (scan.rows, ==, 2);
  g_assert_cmpuint (scan.columns, ==, 4);
  g_assert_true (scan.burned_in_annotation_yes);

  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_STUDY_DATE));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_NAME));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_ID));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_ADDRESS));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_STATION_NAME));
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_BURNED_IN_ANNOTATION));
  g_assert_false (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PRIVATE_TAGS));
  g_assert_false (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_BIRTH_DATE));
}

static void
test_big_endian (void)
{
  g_autoptr(GBytes) bytes = make_big_endian_file ();
  gboolean is_dicom;
  WcDicomScan scan = scan_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &is_dicom);

  g_assert_true (is_dicom);
  g_assert_true (scan.readable);
  g_assert_true (wc_dicom_scan_has (&scan, WC_DICOM_ATTR_PATIENT_NAME));
  g_assert_cmpuint (scan.rows, ==, 3);
  g_assert_cmpuint (scan.columns, ==, 5);
}

static void
test_deflated_is_dicom_but_unreadable (void)
{
  Writer w = begin_part10 ("1.2.840.10008.1.2.1.99");
  guint8 junk[] = { 0x78, 0x9c, 0x01, 0x02, 0x03 };
  g_autoptr(GBytes) bytes = NULL;
  gboolean is_dicom;
  WcDicomScan scan;

  g_byte_array_append (w.bytes, junk, sizeof junk);
  bytes = g_byte_array_free_to_bytes (w.bytes);
  scan = scan_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &is_dicom);
  g_assert_true (is_dicom);
  g_assert_false (scan.readable);
}

static void
test_not_dicom (void)
{
  const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
  const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  const char *text = "Ward round at 08:00, then clinic.";
  g_autofree guint8 *no_magic = g_malloc0 (200);
  WcDicomScan scan;

  g_assert_false (wc_dicom_sniff (jpeg, sizeof jpeg));
  g_assert_false (wc_dicom_scan (jpeg, sizeof jpeg, &scan));
  g_assert_false (wc_dicom_sniff (png, sizeof png));
  g_assert_false (wc_dicom_sniff ((const guint8 *) text, strlen (text)));
  g_assert_false (wc_dicom_sniff (no_magic, 200));  /* a preamble alone */
  g_assert_false (wc_dicom_sniff (NULL, 0));
}

static void
test_inspect_file (void)
{
  g_autoptr(GBytes) bytes = make_explicit_file ();
  g_autofree char *path = write_temp (bytes, "scan.dcm");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);
  const char * const expected[] = {
    "PatientName", "PatientBirthDate", "InstitutionName", "Private tags",
    "ReferringPhysicianName", "AccessionNumber", "BurnedInAnnotation",
  };
  g_autofree char *out = g_strconcat (path, ".jpg", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_true (wc_image_report_get_is_dicom (report));
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_cmpstr (wc_image_report_get_format (report), ==, "application/dicom");
  g_assert_cmpint (wc_image_report_get_width (report), ==, 8);
  g_assert_cmpint (wc_image_report_get_height (report), ==, 4);
  g_assert_false (wc_image_report_get_can_strip (report));
  g_assert_false (wc_image_report_get_burned_in_annotation (report));
  g_assert_true (wc_image_report_has_kind (report, WC_IMAGE_ITEM_DICOM_IDENTIFIER));
  g_assert_false (wc_image_report_has_kind (report, WC_IMAGE_ITEM_GPS));
  g_assert_cmpuint (wc_image_report_get_n_items (report), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (wc_image_report_has_item (report, expected[i]));
  for (guint i = 0; i < wc_image_report_get_n_items (report); i++)
    g_assert_cmpint (wc_image_report_get_item (report, i)->kind, ==, WC_IMAGE_ITEM_DICOM_IDENTIFIER);
  g_assert_false (wc_image_report_has_item (report, "PatientID"));

  /* A DICOM file is never stripped and uploaded as such. */
  g_assert_false (wc_image_strip_metadata (path, out, &error));
  g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_DICOM);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  remove_temp (path);
}

static void
test_inspect_file_without_preamble (void)
{
  g_autoptr(GBytes) bytes = make_implicit_file ();
  g_autofree char *path = write_temp (bytes, "IM000001");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImageReport) report = wc_image_inspect_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (wc_image_report_get_is_dicom (report));
  g_assert_true (wc_image_report_get_readable (report));
  g_assert_true (wc_image_report_get_burned_in_annotation (report));
  g_assert_true (wc_image_report_has_item (report, "PatientName"));
  g_assert_true (wc_image_report_has_item (report, "PatientID"));
  g_assert_true (wc_image_report_has_item (report, "StudyDate"));
  g_assert_true (wc_image_report_has_item (report, "PatientAddress"));
  g_assert_true (wc_image_report_has_item (report, "StationName"));
  remove_temp (path);
}

/* Every prefix of every file: no crash, no read past the end (ASan), and
 * a file cut short inside an element is never called readable. */
static void
test_truncated (void)
{
  GBytes *files[] = { make_explicit_file (), make_implicit_file (), make_big_endian_file () };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (files[f], &size);

      for (gsize length = 0; length <= size; length++)
        {
          gboolean is_dicom;
          WcDicomScan scan = scan_exact (data, length, &is_dicom);

          if (length == size)
            {
              g_assert_true (is_dicom);
              g_assert_true (scan.readable);
            }
          else if (length == size - 1)
            {
              /* Cut inside the last element. */
              g_assert_true (is_dicom);
              g_assert_false (scan.readable);
            }
          else if (f == 0 && length >= 132)
            {
              /* The magic is there: DICOM, whole or not. */
              g_assert_true (is_dicom);
            }
        }
      g_bytes_unref (files[f]);
    }
}

/* Random mutations of valid files and random buffers behind a valid
 * start: the walk must end, without reading out of bounds. */
static void
test_fuzz (void)
{
  GBytes *files[] = { make_explicit_file (), make_implicit_file (), make_big_endian_file () };
  GRand *rand = g_rand_new_with_seed (4711);

  for (guint round = 0; round < 3000; round++)
    {
      GBytes *base = files[round % G_N_ELEMENTS (files)];
      gsize size;
      const guint8 *data = g_bytes_get_data (base, &size);
      gsize length = g_rand_int_range (rand, 0, (gint32) size + 64);
      g_autofree guint8 *buf = g_malloc0 (MAX (length, 1));
      guint flips = g_rand_int_range (rand, 1, 12);
      gboolean is_dicom;

      memcpy (buf, data, MIN (length, size));
      for (gsize i = size; i < length; i++)
        buf[i] = g_rand_int_range (rand, 0, 256);
      for (guint i = 0; i < flips && length > 0; i++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) length);
          /* Lengths and tags are where it hurts: favour 0x00 and 0xFF. */
          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: buf[at] = 0xFF; break;
            case 1: buf[at] = 0x00; break;
            default: buf[at] = g_rand_int_range (rand, 0, 256); break;
            }
        }
      scan_exact (buf, length, &is_dicom);
    }

  /* Pure noise after a preamble and after a group 0008 start. */
  for (guint round = 0; round < 2000; round++)
    {
      gsize length = g_rand_int_range (rand, 0, 600);
      g_autofree guint8 *buf = g_malloc (MAX (length, 1));
      gboolean is_dicom;

      for (gsize i = 0; i < length; i++)
        buf[i] = g_rand_int_range (rand, 0, 256);
      if (round % 2 == 0 && length >= 132)
        memcpy (buf + 128, "DICM", 4);
      else if (length >= 2)
        {
          buf[0] = 0x08;
          buf[1] = 0x00;
        }
      scan_exact (buf, length, &is_dicom);
    }

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    g_bytes_unref (files[f]);
  g_rand_free (rand);
}

/* Sequences nested ten thousand deep must not exhaust the stack. */
static void
test_deep_nesting (void)
{
  Writer w = { g_byte_array_new (), TRUE, FALSE };
  g_autoptr(GBytes) bytes = NULL;
  gboolean is_dicom;
  WcDicomScan scan;

  put_string (&w, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  for (guint i = 0; i < 10000; i++)
    {
      put_header (&w, 0x0008, 0x1110, "SQ", 0xFFFFFFFF);
      put_item_tag (&w, 0xE000, 0xFFFFFFFF);
    }
  put_string (&w, 0x0010, 0x0010, "PN", "Deep^Down");
  bytes = g_byte_array_free_to_bytes (w.bytes);

  scan = scan_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &is_dicom);
  g_assert_true (is_dicom);
  g_assert_false (scan.readable);
}

static void
test_keywords (void)
{
  g_assert_cmpstr (wc_dicom_attribute_get_keyword (WC_DICOM_ATTR_PATIENT_NAME), ==, "PatientName");
  g_assert_cmpstr (wc_dicom_attribute_get_keyword (WC_DICOM_ATTR_PRIVATE_TAGS), ==, "Private tags");
  g_assert_cmpstr (wc_dicom_attribute_get_keyword (WC_DICOM_ATTR_BURNED_IN_ANNOTATION), ==, "BurnedInAnnotation");
  for (guint a = 0; a < WC_DICOM_N_ATTRS; a++)
    g_assert_nonnull (wc_dicom_attribute_get_keyword (a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dicom/explicit-with-preamble", test_explicit_with_preamble);
  g_test_add_func ("/dicom/implicit-without-preamble", test_implicit_without_preamble);
  g_test_add_func ("/dicom/big-endian", test_big_endian);
  g_test_add_func ("/dicom/deflated", test_deflated_is_dicom_but_unreadable);
  g_test_add_func ("/dicom/not-dicom", test_not_dicom);
  g_test_add_func ("/dicom/inspect-file", test_inspect_file);
  g_test_add_func ("/dicom/inspect-file-without-preamble", test_inspect_file_without_preamble);
  g_test_add_func ("/dicom/truncated", test_truncated);
  g_test_add_func ("/dicom/fuzz", test_fuzz);
  g_test_add_func ("/dicom/deep-nesting", test_deep_nesting);
  g_test_add_func ("/dicom/keywords", test_keywords);

  return g_test_run ();
}
