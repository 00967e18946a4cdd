/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-image-strip"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>

#include "wc-crypto.h"
#include "wc-dicom.h"
#include "wc-image-strip.h"

/* Stripping by re-encoding rather than by deleting tags: whatever a
 * camera, an editor or a PACS export hid in the file (maker notes,
 * Photoshop resources, trailing data after the image, an uncropped
 * thumbnail), only the decoded pixels go into the new file. */

#define JPEG_QUALITY 92
/* A 100-megapixel picture already needs 300 MB decoded; anything larger
 * is more likely a decompression bomb than a clinical photograph. */
#define MAX_PIXELS     (100u * 1000u * 1000u)
#define MAX_FILE_SIZE  (256 * 1024 * 1024)

typedef enum
{
  FORMAT_JPEG,
  FORMAT_PNG,
} Format;

/* Decoded pixels, 8 bits per sample, rows packed without padding. */
typedef struct
{
  guint8 *data;
  guint   width;
  guint   height;
  guint   channels;  /* 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
} Pixels;

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
  char                  message[JMSG_LENGTH_MAX];
} JpegError;

/* The libjpeg state lives on the heap: after a longjmp() only memory
 * reached through an unchanged pointer is safe to use. */
typedef struct
{
  struct jpeg_decompress_struct cinfo;
  JpegError                     err;
  guint8                       *pixels;
  guint8                       *cmyk_row;
} JpegDecoder;

typedef struct
{
  struct jpeg_compress_struct cinfo;
  JpegError                   err;
  guint8                     *row;
  unsigned char              *out;
  unsigned long               out_size;
} JpegEncoder;

static void
pixels_clear (Pixels *pixels)
{
  g_clear_pointer (&pixels->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pixels, pixels_clear)

static void
jpeg_error_exit_cb (j_common_ptr cinfo)
{
  JpegError *err = (JpegError *) cinfo->err;

  err->pub.format_message (cinfo, err->message);
  longjmp (err->jump, 1);
}

static void
jpeg_output_message_cb (j_common_ptr cinfo)
{
  char message[JMSG_LENGTH_MAX];

  /* Warnings such as "premature end of data": libjpeg recovers. */
  cinfo->err->format_message (cinfo, message);
  g_debug ("libjpeg: %s", message);
}

static gboolean
check_size (guint    width,
            guint    height,
            GError **error)
{
  if (width == 0 || height == 0)
    {
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_CORRUPT,
                           _("This picture has no pixels."));
      return FALSE;
    }
  if ((guint64) width * height > MAX_PIXELS)
    {
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_TOO_LARGE,
                           _("This picture is too large to clean (more than 100 megapixels). "
                             "Scale it down first."));
      return FALSE;
    }
  return TRUE;
}

static void
set_corrupt_error (GError     **error,
                   Format       format,
                   const char  *detail)
{
  g_debug ("Cannot decode the %s image: %s", format == FORMAT_JPEG ? "JPEG" : "PNG", detail);
  g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_CORRUPT,
                       format == FORMAT_JPEG
                       ? _("This JPEG picture is damaged and cannot be read.")
                       : _("This PNG picture is damaged and cannot be read."));
}

/* Adobe writes CMYK JPEGs inverted and says so with its APP14 marker. */
static void
cmyk_to_rgb (const guint8 *cmyk,
             guint8       *rgb,
             guint         width,
             gboolean      inverted)
{
  for (guint x = 0; x < width; x++)
    {
      guint c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];

      if (!inverted)
        {
          c = 255 - c;
          m = 255 - m;
          y = 255 - y;
          k = 255 - k;
        }
      rgb[3 * x] = (guint8) (c * k / 255);
      rgb[3 * x + 1] = (guint8) (m * k / 255);
      rgb[3 * x + 2] = (guint8) (y * k / 255);
    }
}

static gboolean
decode_jpeg (GBytes   *bytes,
             Pixels   *out,
             GError  **error)
{
  g_autofree JpegDecoder *dec = g_new0 (JpegDecoder, 1);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean cmyk;
  guint stride;

  dec->cinfo.err = jpeg_std_error (&dec->err.pub);
  dec->err.pub.error_exit = jpeg_error_exit_cb;
  dec->err.pub.output_message = jpeg_output_message_cb;

  if (setjmp (dec->err.jump))
    {
      jpeg_destroy_decompress (&dec->cinfo);
      g_free (dec->pixels);
      g_free (dec->cmyk_row);
      set_corrupt_error (error, FORMAT_JPEG, dec->err.message);
      return FALSE;
    }

  jpeg_create_decompress (&dec->cinfo);
  jpeg_mem_src (&dec->cinfo, data, length);
  /* No jpeg_save_markers(): APPn and COM segments are skipped unread. */
  jpeg_read_header (&dec->cinfo, TRUE);

  if (!check_size (dec->cinfo.image_width, dec->cinfo.image_height, error))
    {
      jpeg_destroy_decompress (&dec->cinfo);
      return FALSE;
    }

  cmyk = dec->cinfo.jpeg_color_space == JCS_CMYK || dec->cinfo.jpeg_color_space == JCS_YCCK;
  if (cmyk)
    dec->cinfo.out_color_space = JCS_CMYK;
  else if (dec->cinfo.num_components == 1)
    dec->cinfo.out_color_space = JCS_GRAYSCALE;
  else
    dec->cinfo.out_color_space = JCS_RGB;

  jpeg_start_decompress (&dec->cinfo);

  out->width = dec->cinfo.output_width;
  out->height = dec->cinfo.output_height;
  out->channels = cmyk ? 3 : (guint) dec->cinfo.output_components;
  stride = out->width * out->channels;
  dec->pixels = g_malloc ((gsize) stride * out->height);
  if (cmyk)
    dec->cmyk_row = g_malloc ((gsize) out->width * 4);

  while (dec->cinfo.output_scanline < dec->cinfo.output_height)
    {
      guint8 *dest = dec->pixels + (gsize) dec->cinfo.output_scanline * stride;
      JSAMPROW row = cmyk ? dec->cmyk_row : dest;

      jpeg_read_scanlines (&dec->cinfo, &row, 1);
      if (cmyk)
        cmyk_to_rgb (dec->cmyk_row, dest, out->width, dec->cinfo.saw_Adobe_marker);
    }

  jpeg_finish_decompress (&dec->cinfo);
  jpeg_destroy_decompress (&dec->cinfo);
  g_free (dec->cmyk_row);
  out->data = g_steal_pointer (&dec->pixels);
  return TRUE;
}

static gboolean
decode_png (GBytes   *bytes,
            Pixels   *out,
            GError  **error)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  g_autofree guint8 *buffer = NULL;

  if (!png_image_begin_read_from_memory (&image, data, length))
    {
      set_corrupt_error (error, FORMAT_PNG, image.message);
      return FALSE;
    }

  if (!check_size (image.width, image.height, error))
    {
      png_image_free (&image);
      return FALSE;
    }

  /* 8-bit sRGB, palette expanded, grey kept grey, alpha kept if any. */
  image.format &= PNG_FORMAT_FLAG_ALPHA | PNG_FORMAT_FLAG_COLOR;
  buffer = g_malloc (PNG_IMAGE_SIZE (image));
  if (!png_image_finish_read (&image, NULL, buffer, 0, NULL))
    {
      set_corrupt_error (error, FORMAT_PNG, image.message);
      return FALSE;
    }

  out->width = image.width;
  out->height = image.height;
  out->channels = PNG_IMAGE_PIXEL_CHANNELS (image.format);
  out->data = g_steal_pointer (&buffer);
  return TRUE;
}

/* EXIF orientation 1–8 (TIFF 6.0, tag 274): the size once applied. */
static void
oriented_size (const Pixels *src,
               int           orientation,
               guint        *width,
               guint        *height)
{
  gboolean swap = orientation >= 5 && orientation <= 8;

  *width = swap ? src->height : src->width;
  *height = swap ? src->width : src->height;
}

/* Fills @row with output row @out_y of @src turned upright. */
static void
oriented_row (const Pixels *src,
              int           orientation,
              guint         out_y,
              guint8       *row)
{
  guint w = src->width, h = src->height, n = src->channels;
  guint out_width, out_height;

  oriented_size (src, orientation, &out_width, &out_height);

  if (orientation < 2 || orientation > 8)
    {
      memcpy (row, src->data + (gsize) out_y * w * n, (gsize) w * n);
      return;
    }

  for (guint out_x = 0; out_x < out_width; out_x++)
    {
      guint x, y;

      switch (orientation)
        {
        case 2: x = w - 1 - out_x; y = out_y; break;          /* mirrored */
        case 3: x = w - 1 - out_x; y = h - 1 - out_y; break;  /* 180° */
        case 4: x = out_x; y = h - 1 - out_y; break;          /* flipped */
        case 5: x = out_y; y = out_x; break;                  /* transposed */
        case 6: x = out_y; y = h - 1 - out_x; break;          /* 90° clockwise */
        case 7: x = w - 1 - out_y; y = h - 1 - out_x; break;  /* transversed */
        case 8: x = w - 1 - out_y; y = out_x; break;          /* 90° anticlockwise */
        default: g_assert_not_reached ();
        }
      memcpy (row + (gsize) out_x * n, src->data + ((gsize) y * w + x) * n, n);
    }
}

static GBytes *
encode_jpeg (const Pixels  *src,
             int            orientation,
             int            quality,
             GError       **error)
{
  g_autofree JpegEncoder *enc = g_new0 (JpegEncoder, 1);
  GBytes *result;

  g_assert (src->channels == 1 || src->channels == 3);

  enc->cinfo.err = jpeg_std_error (&enc->err.pub);
  enc->err.pub.error_exit = jpeg_error_exit_cb;
  enc->err.pub.output_message = jpeg_output_message_cb;

  if (setjmp (enc->err.jump))
    {
      jpeg_destroy_compress (&enc->cinfo);
      g_free (enc->row);
      free (enc->out);
      g_debug ("libjpeg: %s", enc->err.message);
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                           _("Whitecoat could not write the cleaned picture."));
      return NULL;
    }

  jpeg_create_compress (&enc->cinfo);
  jpeg_mem_dest (&enc->cinfo, &enc->out, &enc->out_size);

  oriented_size (src, orientation, &enc->cinfo.image_width, &enc->cinfo.image_height);
  enc->cinfo.input_components = src->channels;
  enc->cinfo.in_color_space = src->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&enc->cinfo);
  jpeg_set_quality (&enc->cinfo, quality, TRUE);
  enc->cinfo.optimize_coding = TRUE;
  /* Not even JFIF or Adobe APPn segments: SOI, tables, frame, scan, EOI. */
  enc->cinfo.write_JFIF_header = FALSE;
  enc->cinfo.write_Adobe_marker = FALSE;

  jpeg_start_compress (&enc->cinfo, TRUE);
  enc->row = g_malloc ((gsize) enc->cinfo.image_width * src->channels);
  while (enc->cinfo.next_scanline < enc->cinfo.image_height)
    {
      JSAMPROW row = enc->row;

      oriented_row (src, orientation, enc->cinfo.next_scanline, enc->row);
      jpeg_write_scanlines (&enc->cinfo, &row, 1);
    }
  jpeg_finish_compress (&enc->cinfo);
  jpeg_destroy_compress (&enc->cinfo);
  g_free (enc->row);

  result = g_bytes_new_with_free_func (enc->out, enc->out_size, free, enc->out);
  return result;
}

static GBytes *
encode_png (const Pixels  *src,
            int            orientation,
            GError       **error)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  g_autofree guint8 *upright = NULL;
  g_autofree guint8 *memory = NULL;
  const guint8 *pixels = src->data;
  png_alloc_size_t size;

  g_assert (src->channels >= 1 && src->channels <= 4);

  oriented_size (src, orientation, &image.width, &image.height);
  image.format = (src->channels == 2 || src->channels == 4 ? PNG_FORMAT_FLAG_ALPHA : 0) |
                 (src->channels >= 3 ? PNG_FORMAT_FLAG_COLOR : 0);

  if (orientation >= 2 && orientation <= 8)
    {
      gsize stride = (gsize) image.width * src->channels;

      upright = g_malloc (stride * image.height);
      for (guint y = 0; y < image.height; y++)
        oriented_row (src, orientation, y, upright + y * stride);
      pixels = upright;
    }

  /* The simplified API writes IHDR, sRGB, IDAT and IEND: no text, no
   * time, no eXIf. */
  size = PNG_IMAGE_PNG_SIZE_MAX (image);
  memory = g_malloc (size);
  if (!png_image_write_to_memory (&image, memory, &size, 0, pixels, 0, NULL))
    {
      g_debug ("libpng: %s", image.message);
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                           _("Whitecoat could not write the cleaned picture."));
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&memory), size);
}

/* From the bytes already read, not the path: the same file, for sure. */
static int
read_orientation (GBytes *bytes)
{
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autoptr(GError) error = NULL;
  glong orientation;

  wc_image_init_gexiv2 ();

  metadata = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_buf (metadata, g_bytes_get_data (bytes, NULL),
                                 (glong) g_bytes_get_size (bytes), &error))
    {
      g_debug ("No orientation: exiv2 cannot read the file (%d)", error->code);
      return 1;
    }

  /* The EXIF tag only, as browsers and image viewers honour it; a lone
   * Xmp.tiff.Orientation turns nothing on screen, so it turns nothing here. */
  if (!gexiv2_metadata_try_has_tag (metadata, "Exif.Image.Orientation", NULL))
    return 1;
  orientation = gexiv2_metadata_try_get_tag_long (metadata, "Exif.Image.Orientation", &error);
  if (error != NULL || orientation < 1 || orientation > 8)
    return 1;
  return (int) orientation;
}

/* Reads @in_path and re-encodes it upright and bare; @kept, when given,
 * receives the decoded pixels and @kept_orientation their orientation. */
static GBytes *
strip_to_bytes_full (const char  *in_path,
                     Format      *format,
                     Pixels      *kept,
                     int         *kept_orientation,
                     GError     **error)
{
  GBytes *result;

  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(Pixels) pixels = { NULL };
  g_autofree char *contents = NULL;
  const guint8 *data;
  gsize length;
  int orientation;
  GStatBuf st;

  /* Read whole, so refuse what no picture needs to be before reading. */
  if (g_stat (in_path, &st) == 0 && st.st_size > MAX_FILE_SIZE)
    {
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_TOO_LARGE,
                           _("This file is too large to clean (more than 256 MB)."));
      return NULL;
    }

  if (!g_file_get_contents (in_path, &contents, &length, &local_error))
    {
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not read this file: %s"), local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  data = g_bytes_get_data (bytes, &length);

  /* The outbox keeps its images sealed (wc-crypto.h): opened here, in
   * memory, with the key the store registered. */
  if (wc_crypto_data_is_sealed (data, length))
    {
      GBytes *opened = wc_crypto_unseal_data (NULL, bytes, &local_error);

      if (opened == NULL)
        {
          g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                       _("Whitecoat could not open this picture: %s"), local_error->message);
          return NULL;
        }
      g_bytes_unref (bytes);
      bytes = opened;
      data = g_bytes_get_data (bytes, &length);
    }

  if (length > 0 && wc_dicom_sniff (data, length))
    {
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_DICOM,
                           _("This is a DICOM file, with patient data in it; Whitecoat never "
                             "uploads DICOM files. Export the picture as JPEG or PNG from your "
                             "viewer, with the patient data removed, first."));
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    *format = FORMAT_JPEG;
  else if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    *format = FORMAT_PNG;
  else
    {
      g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_UNSUPPORTED,
                           _("Whitecoat can only strip JPEG and PNG images; export the "
                             "picture as JPEG or PNG first."));
      return NULL;
    }

  if (*format == FORMAT_JPEG ? !decode_jpeg (bytes, &pixels, error)
                             : !decode_png (bytes, &pixels, error))
    return NULL;

  /* Once the tag is gone the picture must not turn on its side. */
  orientation = read_orientation (bytes);
  g_debug ("Re-encoding a %ux%u picture, orientation %d", pixels.width, pixels.height, orientation);

  if (*format == FORMAT_JPEG)
    result = encode_jpeg (&pixels, orientation, JPEG_QUALITY, error);
  else
    result = encode_png (&pixels, orientation, error);
  if (result != NULL && kept != NULL)
    {
      *kept = pixels;
      pixels.data = NULL;
      *kept_orientation = orientation;
    }
  return result;
}

static GBytes *
strip_to_bytes (const char  *in_path,
                Format      *format,
                GError     **error)
{
  return strip_to_bytes_full (in_path, format, NULL, NULL, error);
}

/* @src turned upright, as RGB or grey without alpha (flattened on white),
 * shrunk by averaging to at most @width × @height. */
static void
shrink_upright (const Pixels *src,
                int           orientation,
                guint         width,
                guint         height,
                Pixels       *out)
{
  guint src_width, src_height;
  guint in_n = src->channels, out_n = (in_n <= 2) ? 1 : 3;
  gboolean alpha = in_n == 2 || in_n == 4;
  g_autofree guint8 *row = NULL;
  g_autofree double *sums = NULL;
  g_autofree guint *counts = NULL;

  oriented_size (src, orientation, &src_width, &src_height);
  width = CLAMP (width, 1, src_width);
  height = CLAMP (height, 1, src_height);

  out->width = width;
  out->height = height;
  out->channels = out_n;
  out->data = g_malloc0 ((gsize) width * height * out_n);

  row = g_malloc ((gsize) src_width * in_n);
  sums = g_new0 (double, (gsize) width * height * out_n);
  counts = g_new0 (guint, (gsize) width * height);

  for (guint y = 0; y < src_height; y++)
    {
      guint oy = (guint) ((guint64) y * height / src_height);

      oriented_row (src, orientation, y, row);
      for (guint x = 0; x < src_width; x++)
        {
          guint ox = (guint) ((guint64) x * width / src_width);
          const guint8 *px = row + (gsize) x * in_n;
          double a = alpha ? px[in_n - 1] / 255.0 : 1.0;
          gsize cell = (gsize) oy * width + ox;

          for (guint c = 0; c < out_n; c++)
            sums[cell * out_n + c] += px[c] * a + 255.0 * (1.0 - a);
          counts[cell]++;
        }
    }
  for (gsize cell = 0; cell < (gsize) width * height; cell++)
    for (guint c = 0; c < out_n; c++)
      out->data[cell * out_n + c] = counts[cell] ? (guint8) (sums[cell * out_n + c] / counts[cell] + 0.5) : 255;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= written;
    }
  return TRUE;
}

/**
 * wc_image_strip_metadata:
 * @in_path: a JPEG or PNG picture
 * @out_path: where to write the clean copy; may be @in_path
 * @error: return location for a #GError in %WC_IMAGE_ERROR
 *
 * Decodes @in_path and encodes its pixels again, turned upright according
 * to its EXIF orientation, without EXIF, XMP, IPTC, comments, text chunks,
 * ICC profile or thumbnail. A JPEG is written at quality 92. @out_path is
 * replaced atomically and made readable by the user only.
 *
 * DICOM and other formats fail with %WC_IMAGE_ERROR_DICOM or
 * %WC_IMAGE_ERROR_UNSUPPORTED.
 *
 * Returns: %TRUE on success
 */
gboolean
wc_image_strip_metadata (const char  *in_path,
                         const char  *out_path,
                         GError     **error)
{
  g_autoptr(GBytes) stripped = NULL;
  g_autoptr(GError) local_error = NULL;
  Format format;
  gsize length;
  const char *data;

  g_return_val_if_fail (in_path != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = strip_to_bytes (in_path, &format, error);
  if (stripped == NULL)
    return FALSE;

  data = g_bytes_get_data (stripped, &length);
  if (!g_file_set_contents_full (out_path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not save the cleaned picture: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_image_strip_for_upload:
 * @in_path: a JPEG or PNG picture
 * @max_bytes: the largest file the network takes
 * @mime_type: (out) (transfer full): "image/jpeg" or "image/png"
 * @width: (out) (optional): the width of the result, upright
 * @height: (out) (optional): its height
 * @error: return location for a #GError in %WC_IMAGE_ERROR
 *
 * Strips @in_path as wc_image_strip_metadata() does; when the result is
 * larger than @max_bytes, encodes it again as a JPEG, smaller each time
 * (fewer pixels, then a lower quality), until it fits.
 *
 * Returns: (transfer full): the file to upload, or %NULL
 */
GBytes *
wc_image_strip_for_upload (const char  *in_path,
                           gsize        max_bytes,
                           char       **mime_type,
                           guint       *width,
                           guint       *height,
                           GError     **error)
{
  g_autoptr(GBytes) stripped = NULL;
  g_auto(Pixels) pixels = { NULL };
  int orientation = 1;
  Format format;
  guint w, h;
  double scale = 1.0;
  int quality = 85;

  g_return_val_if_fail (in_path != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stripped = strip_to_bytes_full (in_path, &format, &pixels, &orientation, error);
  if (stripped == NULL)
    return NULL;

  oriented_size (&pixels, orientation, &w, &h);
  if (g_bytes_get_size (stripped) <= max_bytes)
    {
      *mime_type = g_strdup (format == FORMAT_JPEG ? "image/jpeg" : "image/png");
      if (width != NULL)
        *width = w;
      if (height != NULL)
        *height = h;
      return g_steal_pointer (&stripped);
    }

  /* A JPEG of the full picture first (a PNG often fits once it is one),
   * then fewer pixels by the area the last try missed by. */
  for (guint attempt = 0; attempt < 24; attempt++)
    {
      g_auto(Pixels) small = { NULL };
      g_autoptr(GBytes) encoded = NULL;
      guint sw = MAX (1, (guint) (w * scale)), sh = MAX (1, (guint) (h * scale));

      shrink_upright (&pixels, orientation, sw, sh, &small);
      encoded = encode_jpeg (&small, 1, quality, error);
      if (encoded == NULL)
        return NULL;
      g_debug ("Shrunk to %ux%u at quality %d: %zu bytes", sw, sh, quality, g_bytes_get_size (encoded));
      if (g_bytes_get_size (encoded) <= max_bytes)
        {
          *mime_type = g_strdup ("image/jpeg");
          if (width != NULL)
            *width = sw;
          if (height != NULL)
            *height = sh;
          return g_steal_pointer (&encoded);
        }
      if (quality > 70)
        quality -= 5;
      scale *= MIN (0.9, sqrt ((double) max_bytes / (double) g_bytes_get_size (encoded)) * 0.95);
    }

  g_set_error_literal (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_TOO_LARGE,
                       _("Whitecoat could not make this picture small enough for the network."));
  return NULL;
}

/**
 * wc_image_strip_to_temp:
 * @in_path: a JPEG or PNG picture
 * @error: return location for a #GError in %WC_IMAGE_ERROR
 *
 * Like wc_image_strip_metadata(), into a new private temporary file
 * (mode 0600) for an upload. The caller deletes it when done.
 *
 * Returns: (transfer full): the temporary file's path, or %NULL
 */
char *
wc_image_strip_to_temp (const char  *in_path,
                        GError     **error)
{
  g_autoptr(GBytes) stripped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  Format format;
  gsize length;
  const guint8 *data;
  int fd;
  gboolean ok;

  g_return_val_if_fail (in_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stripped = strip_to_bytes (in_path, &format, error);
  if (stripped == NULL)
    return NULL;

  /* g_file_open_tmp() creates the file with mode 0600. */
  fd = g_file_open_tmp (format == FORMAT_JPEG ? "whitecoat-upload-XXXXXX.jpg"
                                              : "whitecoat-upload-XXXXXX.png",
                        &path, &local_error);
  if (fd < 0)
    {
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not save the cleaned picture: %s"), local_error->message);
      return NULL;
    }

  data = g_bytes_get_data (stripped, &length);
  ok = write_all (fd, data, length);
  if (!ok)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      g_unlink (path);
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not save the cleaned picture: %s"), g_strerror (saved_errno));
      return NULL;
    }
  if (!g_close (fd, &local_error))
    {
      g_unlink (path);
      g_set_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED,
                   _("Whitecoat could not save the cleaned picture: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&path);
}
