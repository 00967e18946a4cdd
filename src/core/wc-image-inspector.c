/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-image"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <gexiv2/gexiv2.h>

#include "wc-dicom.h"
#include "wc-image-inspector.h"

struct _WcImageReport
{
  gatomicrefcount  ref_count;
  char            *format;
  GArray          *items;   /* WcImageItem, names unique */
  int              width;
  int              height;
  guint            is_dicom : 1;
  guint            readable : 1;
  guint            has_metadata : 1;
  guint            burned_in_annotation : 1;
};

G_DEFINE_BOXED_TYPE (WcImageReport, wc_image_report, wc_image_report_ref, wc_image_report_unref)
G_DEFINE_QUARK (wc-image-error-quark, wc_image_error)

typedef enum
{
  MATCH_EXACT,
  MATCH_PREFIX,
  MATCH_CONTAINS,
} MatchKind;

/* How an EXIF/XMP/IPTC key (exiv2's "Family.Group.Tag" names) maps to
 * what the user is told. The first rule that matches wins; keys matching
 * none (exposure, white balance, …) identify no one and are not listed. */
static const struct
{
  MatchKind        match;
  const char      *key;
  WcImageItemKind  kind;
  const char      *name;
} tag_rules[] = {
  /* Location (GUIDELINES R16) */
  { MATCH_PREFIX, "Exif.GPSInfo.", WC_IMAGE_ITEM_GPS, N_("GPS position") },
  { MATCH_PREFIX, "Xmp.exif.GPS", WC_IMAGE_ITEM_GPS, N_("GPS position") },
  { MATCH_EXACT, "Iptc.Application2.City", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Iptc.Application2.SubLocation", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Iptc.Application2.ProvinceState", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Iptc.Application2.CountryName", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Iptc.Application2.CountryCode", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Xmp.photoshop.City", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Xmp.photoshop.State", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Xmp.photoshop.Country", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Xmp.iptc.Location", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_EXACT, "Xmp.iptc.CountryCode", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_PREFIX, "Xmp.iptcExt.LocationCreated", WC_IMAGE_ITEM_GPS, N_("Location name") },
  { MATCH_PREFIX, "Xmp.iptcExt.LocationShown", WC_IMAGE_ITEM_GPS, N_("Location name") },

  /* The uncropped picture, small */
  { MATCH_PREFIX, "Exif.Thumbnail.", WC_IMAGE_ITEM_THUMBNAIL, N_("Embedded thumbnail") },
  { MATCH_PREFIX, "Xmp.xmp.Thumbnails", WC_IMAGE_ITEM_THUMBNAIL, N_("Embedded thumbnail") },

  /* Serial numbers of body and lens, maker notes included */
  { MATCH_CONTAINS, "SerialNumber", WC_IMAGE_ITEM_METADATA, N_("Camera serial number") },

  { MATCH_EXACT, "Exif.Photo.DateTimeOriginal", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Exif.Photo.DateTimeDigitized", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Exif.Image.DateTime", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Exif.Image.DateTimeOriginal", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_PREFIX, "Exif.Photo.SubSecTime", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_PREFIX, "Exif.Photo.OffsetTime", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.exif.DateTimeOriginal", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.exif.DateTimeDigitized", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.xmp.CreateDate", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.xmp.ModifyDate", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.xmp.MetadataDate", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Xmp.photoshop.DateCreated", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Iptc.Application2.DateCreated", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Iptc.Application2.TimeCreated", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Iptc.Application2.DigitizationDate", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { MATCH_EXACT, "Iptc.Application2.DigitizationTime", WC_IMAGE_ITEM_METADATA, N_("Capture time") },

  { MATCH_EXACT, "Exif.Image.Make", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Exif.Image.Model", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Exif.Image.UniqueCameraModel", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Exif.Photo.LensMake", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Exif.Photo.LensModel", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Xmp.tiff.Make", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Xmp.tiff.Model", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Xmp.exifEX.LensMake", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Xmp.exifEX.LensModel", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
  { MATCH_EXACT, "Xmp.aux.Lens", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },

  { MATCH_EXACT, "Exif.Image.Software", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { MATCH_EXACT, "Exif.Image.ProcessingSoftware", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { MATCH_EXACT, "Exif.Image.HostComputer", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { MATCH_EXACT, "Xmp.xmp.CreatorTool", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { MATCH_EXACT, "Iptc.Application2.Program", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { MATCH_EXACT, "Iptc.Application2.ProgramVersion", WC_IMAGE_ITEM_METADATA, N_("Software") },

  { MATCH_EXACT, "Exif.Image.Artist", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Exif.Image.XPAuthor", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Exif.Image.Copyright", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Exif.Photo.CameraOwnerName", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Xmp.aux.OwnerName", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_PREFIX, "Xmp.dc.creator", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_PREFIX, "Xmp.dc.rights", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_PREFIX, "Xmp.xmpRights.", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Xmp.photoshop.AuthorsPosition", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Xmp.photoshop.CaptionWriter", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Xmp.photoshop.Credit", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_PREFIX, "Xmp.iptc.CreatorContactInfo", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.Byline", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.BylineTitle", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.Credit", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.Contact", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.Writer", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { MATCH_EXACT, "Iptc.Application2.Copyright", WC_IMAGE_ITEM_METADATA, N_("Author") },

  { MATCH_EXACT, "Exif.Photo.ImageUniqueID", WC_IMAGE_ITEM_METADATA, N_("Unique image ID") },
  { MATCH_PREFIX, "Xmp.xmpMM.", WC_IMAGE_ITEM_METADATA, N_("Unique image ID") },
  { MATCH_EXACT, "Exif.Photo.MakerNote", WC_IMAGE_ITEM_METADATA, N_("Maker notes") },

  /* Free text, which some apps copy into alt text */
  { MATCH_EXACT, "Exif.Image.ImageDescription", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { MATCH_PREFIX, "Xmp.dc.description", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { MATCH_EXACT, "Xmp.tiff.ImageDescription", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { MATCH_PREFIX, "Xmp.iptc.AltTextAccessibility", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { MATCH_PREFIX, "Xmp.iptc.ExtDescrAccessibility", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { MATCH_EXACT, "Iptc.Application2.Caption", WC_IMAGE_ITEM_CAPTION, N_("Caption") },
  { MATCH_EXACT, "Exif.Photo.UserComment", WC_IMAGE_ITEM_CAPTION, N_("User comment") },
  { MATCH_EXACT, "Xmp.exif.UserComment", WC_IMAGE_ITEM_CAPTION, N_("User comment") },
  { MATCH_PREFIX, "Xmp.dc.title", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Xmp.photoshop.Headline", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Iptc.Application2.ObjectName", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Iptc.Application2.Headline", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Exif.Image.XPTitle", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Exif.Image.XPSubject", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Exif.Image.DocumentName", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_EXACT, "Exif.Image.PageName", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { MATCH_PREFIX, "Xmp.dc.subject", WC_IMAGE_ITEM_CAPTION, N_("Keywords") },
  { MATCH_PREFIX, "Xmp.lr.hierarchicalSubject", WC_IMAGE_ITEM_CAPTION, N_("Keywords") },
  { MATCH_EXACT, "Iptc.Application2.Keywords", WC_IMAGE_ITEM_CAPTION, N_("Keywords") },
  { MATCH_EXACT, "Iptc.Application2.SuppCategory", WC_IMAGE_ITEM_CAPTION, N_("Keywords") },
  { MATCH_EXACT, "Exif.Image.XPKeywords", WC_IMAGE_ITEM_CAPTION, N_("Keywords") },
  { MATCH_EXACT, "Exif.Image.XPComment", WC_IMAGE_ITEM_CAPTION, N_("Comment") },
  { MATCH_EXACT, "Iptc.Application2.SpecialInstructions", WC_IMAGE_ITEM_CAPTION, N_("Comment") },
  { MATCH_EXACT, "Xmp.photoshop.Instructions", WC_IMAGE_ITEM_CAPTION, N_("Comment") },
  /* Face regions carry the names of the people tagged in the picture. */
  { MATCH_PREFIX, "Xmp.mwg-rs.", WC_IMAGE_ITEM_CAPTION, N_("People tags") },
  { MATCH_PREFIX, "Xmp.MP.RegionInfo", WC_IMAGE_ITEM_CAPTION, N_("People tags") },
  { MATCH_PREFIX, "Xmp.MPRI.", WC_IMAGE_ITEM_CAPTION, N_("People tags") },
  { MATCH_PREFIX, "Xmp.iptcExt.PersonInImage", WC_IMAGE_ITEM_CAPTION, N_("People tags") },
};

/* PNG tEXt/zTXt/iTXt keywords (PNG spec §11.3.4.2 and common practice).
 * Those exiv2 reads itself ("Raw profile type …", XMP) are skipped here. */
static const struct
{
  const char      *keyword;
  WcImageItemKind  kind;
  const char      *name;
} png_keywords[] = {
  { "Title", WC_IMAGE_ITEM_CAPTION, N_("Title") },
  { "Description", WC_IMAGE_ITEM_CAPTION, N_("Description") },
  { "Comment", WC_IMAGE_ITEM_CAPTION, N_("Comment") },
  { "Author", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { "Copyright", WC_IMAGE_ITEM_METADATA, N_("Author") },
  { "Creation Time", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { "date:create", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { "date:modify", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { "date:timestamp", WC_IMAGE_ITEM_METADATA, N_("Capture time") },
  { "Software", WC_IMAGE_ITEM_METADATA, N_("Software") },
  { "Source", WC_IMAGE_ITEM_METADATA, N_("Camera make and model") },
};

static const struct
{
  const char *magic;
  gsize       offset;
  gsize       length;
  const char *format;
} magics[] = {
  { "\xff\xd8\xff", 0, 3, "image/jpeg" },
  { "\x89PNG\r\n\x1a\n", 0, 8, "image/png" },
  { "GIF8", 0, 4, "image/gif" },
  { "WEBP", 8, 4, "image/webp" },
  { "II*\0", 0, 4, "image/tiff" },
  { "MM\0*", 0, 4, "image/tiff" },
  { "ftypheic", 4, 8, "image/heif" },
  { "ftypheix", 4, 8, "image/heif" },
  { "ftypmif1", 4, 8, "image/heif" },
  { "ftypavif", 4, 8, "image/avif" },
  { "BM", 0, 2, "image/bmp" },
};

static void
gexiv2_log_cb (GExiv2LogLevel  level,
               const char     *message)
{
  /* Exiv2 complains about every odd maker note; that is detail, not a
   * warning for the user, and fatal-warnings must not trip on it. */
  g_debug ("exiv2 (%d): %s", level, message);
}

static gpointer
init_gexiv2_once (gpointer data)
{
  gexiv2_log_set_handler (gexiv2_log_cb);
  gexiv2_log_set_level (GEXIV2_LOG_LEVEL_WARN);
  if (!gexiv2_initialize ())
    g_critical ("gexiv2 could not be initialised");
  return NULL;
}

/**
 * wc_image_init_gexiv2:
 *
 * Initialises gexiv2 (and exiv2's XMP toolkit) once per process, which
 * exiv2 needs before any thread uses it. Safe to call from any thread.
 */
void
wc_image_init_gexiv2 (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gexiv2_once, NULL);
}

static WcImageReport *
report_new (void)
{
  WcImageReport *self = g_new0 (WcImageReport, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->items = g_array_new (FALSE, FALSE, sizeof (WcImageItem));
  return self;
}

/**
 * wc_image_report_new_unreadable:
 *
 * Returns: (transfer full): the report of an image that could not be read
 *   at all (a file that vanished, say): nothing is known, so nothing is safe
 */
WcImageReport *
wc_image_report_new_unreadable (void)
{
  WcImageReport *self = report_new ();

  self->format = g_strdup ("application/octet-stream");
  return self;
}

static void
report_add (WcImageReport   *self,
            WcImageItemKind  kind,
            const char      *name)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (g_array_index (self->items, WcImageItem, i).name, name))
      return;

  g_array_append_val (self->items, ((WcImageItem) { kind, name }));
}

static const char *
sniff_format (const guint8 *data,
              gsize         length)
{
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    {
      if (length >= magics[i].offset + magics[i].length &&
          memcmp (data + magics[i].offset, magics[i].magic, magics[i].length) == 0)
        return magics[i].format;
    }
  return NULL;
}

static gboolean
key_matches (const char *key,
             MatchKind   match,
             const char *pattern)
{
  switch (match)
    {
    case MATCH_EXACT:
      return g_str_equal (key, pattern);
    case MATCH_PREFIX:
      return g_str_has_prefix (key, pattern);
    case MATCH_CONTAINS:
      return strstr (key, pattern) != NULL;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Cameras fill ImageDescription with blanks or their own name; an empty
 * field says nothing. The value is looked at and dropped, never kept. */
static gboolean
tag_is_blank (GExiv2Metadata *metadata,
              const char     *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = gexiv2_metadata_try_get_tag_interpreted_string (metadata, key, &error);

  if (value == NULL)
    return FALSE;  /* structures and the like: count them */
  if (g_str_has_prefix (value, "charset="))
    {
      char *space = strchr (value, ' ');
      return space == NULL || g_strstrip (space)[0] == '\0';
    }
  return g_strstrip (value)[0] == '\0';
}

static void
classify_tags (WcImageReport   *report,
               GExiv2Metadata  *metadata,
               char           **keys)
{
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      report->has_metadata = TRUE;

      for (guint r = 0; r < G_N_ELEMENTS (tag_rules); r++)
        {
          if (!key_matches (keys[i], tag_rules[r].match, tag_rules[r].key))
            continue;
          if (tag_rules[r].kind != WC_IMAGE_ITEM_CAPTION || !tag_is_blank (metadata, keys[i]))
            report_add (report, tag_rules[r].kind, tag_rules[r].name);
          break;
        }
    }
}

static void
inspect_metadata (WcImageReport  *report,
                  GExiv2Metadata *metadata)
{
  g_auto(GStrv) exif = gexiv2_metadata_get_exif_tags (metadata);
  g_auto(GStrv) xmp = gexiv2_metadata_get_xmp_tags (metadata);
  g_auto(GStrv) iptc = gexiv2_metadata_get_iptc_tags (metadata);
  g_autofree guint8 *thumbnail = NULL;
  GExiv2PreviewProperties **previews;
  int thumbnail_size = 0;

  classify_tags (report, metadata, exif);
  classify_tags (report, metadata, xmp);
  classify_tags (report, metadata, iptc);

  if (gexiv2_metadata_get_exif_thumbnail (metadata, &thumbnail, &thumbnail_size) &&
      thumbnail_size > 0)
    report_add (report, WC_IMAGE_ITEM_THUMBNAIL, N_("Embedded thumbnail"));

  /* Photoshop and XMP keep previews outside EXIF; exiv2 finds them all. */
  previews = gexiv2_metadata_get_preview_properties (metadata);
  if (previews != NULL && previews[0] != NULL)
    report_add (report, WC_IMAGE_ITEM_THUMBNAIL, N_("Embedded thumbnail"));
}

/* The JPEG markers before the scan, for comments (COM), which exiv2 does
 * not list as tags. Only marker types and lengths are read. */
static void
inspect_jpeg_markers (WcImageReport *report,
                      const guint8  *data,
                      gsize          length)
{
  gsize pos = 2;

  while (length - pos >= 4)
    {
      guint8 marker;
      gsize segment;

      if (data[pos] != 0xFF)
        return;
      marker = data[pos + 1];
      if (marker == 0xFF)
        {
          pos++;  /* fill byte */
          continue;
        }
      if (marker == 0xDA || marker == 0xD9)
        return;  /* start of scan, end of image */
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        {
          pos += 2;
          continue;
        }

      segment = ((gsize) data[pos + 2] << 8) | data[pos + 3];
      if (segment < 2 || segment > length - pos - 2)
        return;

      if (marker == 0xFE)
        {
          for (gsize i = pos + 4; i < pos + 2 + segment; i++)
            {
              if (!g_ascii_isspace (data[i]) && data[i] != 0)
                {
                  report_add (report, WC_IMAGE_ITEM_CAPTION, N_("Comment"));
                  report->has_metadata = TRUE;
                  break;
                }
            }
        }
      pos += 2 + segment;
    }
}

/* The PNG chunks, for text keywords and the modification time. */
static void
inspect_png_chunks (WcImageReport *report,
                    const guint8  *data,
                    gsize          length)
{
  gsize pos = 8;

  while (length - pos >= 12)
    {
      gsize chunk = ((gsize) data[pos] << 24) | ((gsize) data[pos + 1] << 16) |
                    ((gsize) data[pos + 2] << 8) | data[pos + 3];
      const guint8 *type = data + pos + 4;
      const guint8 *body = data + pos + 8;

      if (chunk > length - pos - 12)
        return;

      if (memcmp (type, "IEND", 4) == 0)
        return;

      if (memcmp (type, "tIME", 4) == 0)
        {
          report_add (report, WC_IMAGE_ITEM_METADATA, N_("Modification time"));
          report->has_metadata = TRUE;
        }
      else if (memcmp (type, "eXIf", 4) == 0)
        {
          report->has_metadata = TRUE;
        }
      else if (memcmp (type, "tEXt", 4) == 0 || memcmp (type, "zTXt", 4) == 0 ||
               memcmp (type, "iTXt", 4) == 0)
        {
          char keyword[80] = { 0 };
          gsize n = 0;
          gboolean known = FALSE;

          while (n < chunk && n < sizeof keyword - 1 && body[n] != 0)
            {
              keyword[n] = (char) body[n];
              n++;
            }
          report->has_metadata = TRUE;

          if (g_str_has_prefix (keyword, "Raw profile type") ||
              g_str_equal (keyword, "XML:com.adobe.xmp"))
            known = TRUE;  /* exiv2 reads these */

          for (guint i = 0; !known && i < G_N_ELEMENTS (png_keywords); i++)
            {
              if (g_ascii_strcasecmp (keyword, png_keywords[i].keyword) == 0)
                {
                  report_add (report, png_keywords[i].kind, png_keywords[i].name);
                  known = TRUE;
                }
            }

          /* Any other text chunk is free text nobody looked at. */
          if (!known)
            report_add (report, WC_IMAGE_ITEM_CAPTION, N_("Comment"));
        }
      pos += 12 + chunk;
    }
}

static void
inspect_dicom (WcImageReport *report,
               const guint8  *data,
               gsize          length)
{
  WcDicomScan scan;

  report->is_dicom = TRUE;
  report->format = g_strdup ("application/dicom");

  if (!wc_dicom_scan (data, length, &scan))
    return;

  report->readable = scan.readable;
  report->width = scan.columns;
  report->height = scan.rows;
  report->burned_in_annotation = scan.burned_in_annotation_yes;
  report->has_metadata = scan.found != 0;

  for (guint a = 0; a < WC_DICOM_N_ATTRS; a++)
    {
      if (wc_dicom_scan_has (&scan, a))
        report_add (report, WC_IMAGE_ITEM_DICOM_IDENTIFIER, wc_dicom_attribute_get_keyword (a));
    }
}

/**
 * wc_image_inspect_file:
 * @path: an image file
 * @error: return location for a #GError
 *
 * Looks at what @path gives away besides its pixels. Blocking: call it in
 * a thread (g_task_run_in_thread()); it is thread-safe.
 *
 * A file that is not an image, or an image that cannot be parsed, gives a
 * report whose #WcImageReport:readable is %FALSE; only a file that cannot
 * be read at all gives an error.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
WcImageReport *
wc_image_inspect_file (const char  *path,
                       GError     **error)
{
  g_autoptr(WcImageReport) report = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *data;
  const char *sniffed;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  wc_image_init_gexiv2 ();

  /* Mapped, not read: a DICOM series can be hundreds of megabytes, and
   * the walk skips the pixel data without touching it. */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not read this file: %s"), local_error->message);
      return NULL;
    }
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (data == NULL)
    length = 0;

  report = report_new ();

  if (wc_dicom_sniff (data, length))
    {
      inspect_dicom (report, data, length);
      return g_steal_pointer (&report);
    }

  sniffed = sniff_format (data, length);
  metadata = gexiv2_metadata_new ();
  if (length == 0 || !gexiv2_metadata_open_path (metadata, path, &local_error))
    {
      if (local_error != NULL)
        g_debug ("exiv2 cannot read the file (%s %d)",
                 g_quark_to_string (local_error->domain), local_error->code);
      report->format = g_strdup (sniffed);
      report->readable = FALSE;
      return g_steal_pointer (&report);
    }

  report->readable = TRUE;
  report->format = g_strdup (sniffed != NULL ? sniffed : gexiv2_metadata_get_mime_type (metadata));
  report->width = MAX (gexiv2_metadata_get_pixel_width (metadata), 0);
  report->height = MAX (gexiv2_metadata_get_pixel_height (metadata), 0);

  inspect_metadata (report, metadata);

  if (g_strcmp0 (sniffed, "image/jpeg") == 0)
    inspect_jpeg_markers (report, data, length);
  else if (g_strcmp0 (sniffed, "image/png") == 0)
    inspect_png_chunks (report, data, length);

  return g_steal_pointer (&report);
}

WcImageReport *
wc_image_report_ref (WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_image_report_unref (WcImageReport *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->format);
      g_array_unref (self->items);
      g_free (self);
    }
}

gboolean
wc_image_report_get_is_dicom (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->is_dicom;
}

/**
 * wc_image_report_get_readable:
 * @self: a report
 *
 * Returns: %TRUE when the file was parsed: an image exiv2 understands, or
 *   a DICOM data set walked to its end
 */
gboolean
wc_image_report_get_readable (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->readable;
}

/**
 * wc_image_report_get_format:
 * @self: a report
 *
 * Returns: (nullable): a MIME type such as "image/jpeg", "image/png" or
 *   "application/dicom"; %NULL when the file is nothing recognisable
 */
const char *
wc_image_report_get_format (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->format;
}

/**
 * wc_image_report_get_width:
 * @self: a report
 *
 * Returns: the width in pixels as stored (before any EXIF orientation),
 *   0 when unknown
 */
int
wc_image_report_get_width (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
wc_image_report_get_height (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

/**
 * wc_image_report_get_has_metadata:
 * @self: a report
 *
 * Returns: %TRUE when the file carries any metadata at all, identifying
 *   or not (exposure settings, colour notes…); stripping would remove it
 */
gboolean
wc_image_report_get_has_metadata (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_metadata || self->items->len > 0;
}

/**
 * wc_image_report_get_can_strip:
 * @self: a report
 *
 * Returns: %TRUE when wc_image_strip_metadata() takes this file: a
 *   readable JPEG or PNG
 */
gboolean
wc_image_report_get_can_strip (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->readable && !self->is_dicom &&
         (g_strcmp0 (self->format, "image/jpeg") == 0 ||
          g_strcmp0 (self->format, "image/png") == 0);
}

/**
 * wc_image_report_get_burned_in_annotation:
 * @self: a report
 *
 * Returns: %TRUE when a DICOM file declares text burned into its pixels.
 *   %FALSE proves nothing: the user still has to look.
 */
gboolean
wc_image_report_get_burned_in_annotation (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->burned_in_annotation;
}

guint
wc_image_report_get_n_items (const WcImageReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

/**
 * wc_image_report_get_item:
 * @self: a report
 * @index: less than wc_image_report_get_n_items()
 *
 * Returns: (transfer none): the item, valid as long as @self
 */
const WcImageItem *
wc_image_report_get_item (const WcImageReport *self,
                          guint                index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, WcImageItem, index);
}

gboolean
wc_image_report_has_kind (const WcImageReport *self,
                          WcImageItemKind      kind)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, WcImageItem, i).kind == kind)
      return TRUE;
  return FALSE;
}

gboolean
wc_image_report_has_item (const WcImageReport *self,
                          const char          *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (g_array_index (self->items, WcImageItem, i).name, name))
      return TRUE;
  return FALSE;
}
