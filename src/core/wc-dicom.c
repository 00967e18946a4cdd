/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-dicom"

#include "config.h"

#include <string.h>

#include "wc-dicom.h"

/* Every read goes through read_u16()/read_u32() or a memcmp() after a check
 * that "end - pos" covers it, with pos <= end <= length as the invariant;
 * the input may be truncated or hostile. Values of identifying attributes
 * are looked at only to see whether they are blank and are never copied. */

#define UNDEFINED_LENGTH 0xFFFFFFFFu
#define MAX_DEPTH        32
#define PREAMBLE_LENGTH  128

#define TAG(g, e)        (((guint32) (g) << 16) | (guint32) (e))
#define TAG_ITEM         TAG (0xFFFE, 0xE000)
#define TAG_ITEM_END     TAG (0xFFFE, 0xE00D)
#define TAG_SEQ_END      TAG (0xFFFE, 0xE0DD)
#define TAG_TRANSFER     TAG (0x0002, 0x0010)
#define TAG_ROWS         TAG (0x0028, 0x0010)
#define TAG_COLUMNS      TAG (0x0028, 0x0011)
#define TAG_BURNED_IN    TAG (0x0028, 0x0301)
#define TAG_PIXEL_DATA   TAG (0x7FE0, 0x0010)

typedef struct
{
  gboolean explicit_vr;
  gboolean big_endian;
} Encoding;

typedef struct
{
  const guint8 *data;
  gsize         length;
  WcDicomScan  *scan;
  gboolean      failed;
} Walker;

typedef struct
{
  guint32 tag;
  char    vr[2];      /* zero in implicit VR and for item tags */
  guint32 length;
  gsize   value_pos;
} Element;

static const struct
{
  guint32           tag;
  WcDicomAttribute  attribute;
  const char       *keyword;
} identifying[] = {
  { TAG (0x0010, 0x0010), WC_DICOM_ATTR_PATIENT_NAME, "PatientName" },
  { TAG (0x0010, 0x0020), WC_DICOM_ATTR_PATIENT_ID, "PatientID" },
  { TAG (0x0010, 0x0030), WC_DICOM_ATTR_PATIENT_BIRTH_DATE, "PatientBirthDate" },
  { TAG (0x0010, 0x1040), WC_DICOM_ATTR_PATIENT_ADDRESS, "PatientAddress" },
  { TAG (0x0010, 0x2154), WC_DICOM_ATTR_PATIENT_TELEPHONE_NUMBERS, "PatientTelephoneNumbers" },
  { TAG (0x0010, 0x1000), WC_DICOM_ATTR_OTHER_PATIENT_IDS, "OtherPatientIDs" },
  { TAG (0x0010, 0x1001), WC_DICOM_ATTR_OTHER_PATIENT_NAMES, "OtherPatientNames" },
  { TAG (0x0008, 0x0080), WC_DICOM_ATTR_INSTITUTION_NAME, "InstitutionName" },
  { TAG (0x0008, 0x0081), WC_DICOM_ATTR_INSTITUTION_ADDRESS, "InstitutionAddress" },
  { TAG (0x0008, 0x0090), WC_DICOM_ATTR_REFERRING_PHYSICIAN_NAME, "ReferringPhysicianName" },
  { TAG (0x0008, 0x1050), WC_DICOM_ATTR_PERFORMING_PHYSICIAN_NAME, "PerformingPhysicianName" },
  { TAG (0x0008, 0x1070), WC_DICOM_ATTR_OPERATORS_NAME, "OperatorsName" },
  { TAG (0x0008, 0x0050), WC_DICOM_ATTR_ACCESSION_NUMBER, "AccessionNumber" },
  { TAG (0x0008, 0x0020), WC_DICOM_ATTR_STUDY_DATE, "StudyDate" },
  { TAG (0x0008, 0x0021), WC_DICOM_ATTR_SERIES_DATE, "SeriesDate" },
  { TAG (0x0008, 0x0022), WC_DICOM_ATTR_ACQUISITION_DATE, "AcquisitionDate" },
  { TAG (0x0008, 0x0023), WC_DICOM_ATTR_CONTENT_DATE, "ContentDate" },
  { TAG (0x0008, 0x1010), WC_DICOM_ATTR_STATION_NAME, "StationName" },
  { TAG (0x0018, 0x1000), WC_DICOM_ATTR_DEVICE_SERIAL_NUMBER, "DeviceSerialNumber" },
};

/* The value representations of PS3.5 §6.2; those in long_vrs carry a
 * 32-bit length after two reserved bytes in explicit VR (PS3.5 §7.1.2). */
static const char known_vrs[][3] = {
  "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT",
  "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
  "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
};
static const char long_vrs[][3] = {
  "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV",
};

static gsize walk_dataset  (Walker   *w,
                            gsize     pos,
                            gsize     end,
                            Encoding  enc,
                            guint     depth,
                            gboolean  until_item_end);
static gsize walk_sequence (Walker   *w,
                            gsize     pos,
                            gsize     end,
                            Encoding  enc,
                            guint     depth,
                            gboolean  undefined_length);

static gboolean
vr_in (const guint8 *vr,
       const char    list[][3],
       gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (vr[0] == (guint8) list[i][0] && vr[1] == (guint8) list[i][1])
      return TRUE;
  return FALSE;
}

static gboolean
is_known_vr (const guint8 *vr)
{
  return vr_in (vr, known_vrs, G_N_ELEMENTS (known_vrs));
}

static gboolean
vr_is (const Element *el,
       const char    *vr)
{
  return el->vr[0] == vr[0] && el->vr[1] == vr[1];
}

static guint16
read_u16 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian ? (guint16) ((p[0] << 8) | p[1])
                    : (guint16) ((p[1] << 8) | p[0]);
}

static guint32
read_u32 (const guint8 *p,
          gboolean      big_endian)
{
  if (big_endian)
    return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static gboolean
fail (Walker     *w,
      const char *why)
{
  if (!w->failed)
    g_debug ("DICOM data set not readable: %s", why);
  w->failed = TRUE;
  return FALSE;
}

static gboolean
read_element (Walker   *w,
              gsize     pos,
              gsize     end,
              Encoding  enc,
              Element  *el)
{
  const guint8 *p = w->data + pos;

  memset (el, 0, sizeof *el);
  if (end - pos < 8)
    return fail (w, "element header cut short");

  el->tag = TAG (read_u16 (p, enc.big_endian), read_u16 (p + 2, enc.big_endian));

  /* Items and delimiters have no VR in any transfer syntax. */
  if ((el->tag >> 16) == 0xFFFE || !enc.explicit_vr)
    {
      el->length = read_u32 (p + 4, enc.big_endian);
      el->value_pos = pos + 8;
      return TRUE;
    }

  if (!is_known_vr (p + 4))
    return fail (w, "unknown value representation");
  el->vr[0] = (char) p[4];
  el->vr[1] = (char) p[5];

  if (vr_in (p + 4, long_vrs, G_N_ELEMENTS (long_vrs)))
    {
      if (end - pos < 12)
        return fail (w, "element header cut short");
      el->length = read_u32 (p + 8, enc.big_endian);
      el->value_pos = pos + 12;
    }
  else
    {
      el->length = read_u16 (p + 6, enc.big_endian);
      el->value_pos = pos + 8;
    }
  return TRUE;
}

static gboolean
value_is_blank (const Walker *w,
                gsize         pos,
                gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = w->data[pos + i];
      if (c != ' ' && c != '\0')
        return FALSE;
    }
  return TRUE;
}

static void
mark (Walker           *w,
      WcDicomAttribute  attribute)
{
  w->scan->found |= 1u << attribute;
}

/* Called for every element of a defined length whose value lies inside
 * the buffer; @depth is 0 for the top-level data set. */
static void
note_element (Walker        *w,
              const Element *el,
              Encoding       enc,
              guint          depth)
{
  guint16 group = el->tag >> 16;

  if (group & 1)
    {
      mark (w, WC_DICOM_ATTR_PRIVATE_TAGS);
      return;
    }

  if (el->tag == TAG_BURNED_IN)
    {
      const guint8 *v = w->data + el->value_pos;
      gsize n = el->length;

      mark (w, WC_DICOM_ATTR_BURNED_IN_ANNOTATION);
      while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\0'))
        n--;
      if (n == 3 && memcmp (v, "YES", 3) == 0)
        w->scan->burned_in_annotation_yes = TRUE;
      return;
    }

  if (depth == 0 && el->length == 2 && (el->tag == TAG_ROWS || el->tag == TAG_COLUMNS))
    {
      guint value = read_u16 (w->data + el->value_pos, enc.big_endian);

      if (el->tag == TAG_ROWS)
        w->scan->rows = value;
      else
        w->scan->columns = value;
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (identifying); i++)
    {
      if (identifying[i].tag == el->tag)
        {
          /* An emptied attribute (type 2, kept blank by anonymisers)
           * identifies no one. */
          if (!value_is_blank (w, el->value_pos, el->length))
            mark (w, identifying[i].attribute);
          return;
        }
    }
}

/* Encapsulated pixel data (PS3.5 A.4): items of raw fragments up to a
 * sequence delimiter. */
static gsize
skip_fragments (Walker   *w,
                gsize     pos,
                gsize     end,
                Encoding  enc)
{
  while (!w->failed)
    {
      guint32 tag, length;

      if (end - pos < 8)
        {
          fail (w, "encapsulated pixel data cut short");
          break;
        }
      tag = TAG (read_u16 (w->data + pos, enc.big_endian),
                 read_u16 (w->data + pos + 2, enc.big_endian));
      length = read_u32 (w->data + pos + 4, enc.big_endian);
      pos += 8;

      if (tag == TAG_SEQ_END)
        return pos;
      if (tag != TAG_ITEM || length == UNDEFINED_LENGTH || length > end - pos)
        {
          fail (w, "malformed pixel data fragment");
          break;
        }
      pos += length;
    }
  return end;
}

/* Whether a value of a defined length, VR unknown (implicit) or UN, holds
 * a sequence of items rather than bytes. */
static gboolean
looks_like_sequence (const Walker  *w,
                     const Element *el,
                     Encoding       enc)
{
  const guint8 *v = w->data + el->value_pos;

  if (el->tag == TAG_PIXEL_DATA || el->length < 8)
    return FALSE;
  if (enc.explicit_vr && !vr_is (el, "UN"))
    return FALSE;
  return TAG (read_u16 (v, enc.big_endian), read_u16 (v + 2, enc.big_endian)) == TAG_ITEM;
}

static gboolean
rest_is_zero (const Walker *w,
              gsize         pos,
              gsize         end)
{
  for (; pos < end; pos++)
    if (w->data[pos] != 0)
      return FALSE;
  return TRUE;
}

static gsize
walk_dataset (Walker   *w,
              gsize     pos,
              gsize     end,
              Encoding  enc,
              guint     depth,
              gboolean  until_item_end)
{
  if (depth > MAX_DEPTH)
    {
      fail (w, "sequences nested too deeply");
      return end;
    }

  while (pos < end && !w->failed)
    {
      Element el;
      Encoding inner = enc;

      /* Some writers pad the file with zeros after the last element. */
      if (depth == 0 && !until_item_end && w->data[pos] == 0 && rest_is_zero (w, pos, end))
        return end;

      if (!read_element (w, pos, end, enc, &el))
        return end;

      if (el.tag == TAG_ITEM_END && until_item_end)
        return el.value_pos;
      if ((el.tag >> 16) == 0xFFFE)
        {
          fail (w, "item tag outside a sequence");
          return end;
        }

      /* Items inside UN are implicit VR little endian (PS3.5 §6.2.2). */
      if (vr_is (&el, "UN"))
        inner.explicit_vr = inner.big_endian = FALSE;

      if (el.length == UNDEFINED_LENGTH)
        {
          if ((el.tag >> 16) & 1)
            mark (w, WC_DICOM_ATTR_PRIVATE_TAGS);

          if (el.tag == TAG_PIXEL_DATA || vr_is (&el, "OB") || vr_is (&el, "OW"))
            pos = skip_fragments (w, el.value_pos, end, enc);
          else
            pos = walk_sequence (w, el.value_pos, end, inner, depth + 1, TRUE);
          continue;
        }

      if (el.length > end - el.value_pos)
        {
          fail (w, "value runs past the end");
          return end;
        }

      if (vr_is (&el, "SQ"))
        {
          if ((el.tag >> 16) & 1)
            mark (w, WC_DICOM_ATTR_PRIVATE_TAGS);
          walk_sequence (w, el.value_pos, el.value_pos + el.length, inner, depth + 1, FALSE);
        }
      else if (looks_like_sequence (w, &el, enc))
        {
          /* Only a guess: if the value does not walk as a sequence, it
           * was bytes after all, and what the attempt found is dropped. */
          WcDicomScan saved = *w->scan;

          if ((el.tag >> 16) & 1)
            mark (w, WC_DICOM_ATTR_PRIVATE_TAGS);
          walk_sequence (w, el.value_pos, el.value_pos + el.length, inner, depth + 1, FALSE);
          if (w->failed)
            {
              *w->scan = saved;
              w->failed = FALSE;
              note_element (w, &el, enc, depth);
            }
        }
      else
        {
          note_element (w, &el, enc, depth);
        }
      pos = el.value_pos + el.length;
    }

  if (until_item_end && !w->failed)
    fail (w, "item without its delimiter");
  return pos;
}

static gsize
walk_sequence (Walker   *w,
               gsize     pos,
               gsize     end,
               Encoding  enc,
               guint     depth,
               gboolean  undefined_length)
{
  if (depth > MAX_DEPTH)
    {
      fail (w, "sequences nested too deeply");
      return end;
    }

  while (pos < end && !w->failed)
    {
      guint32 tag, length;

      if (end - pos < 8)
        {
          fail (w, "item header cut short");
          return end;
        }
      tag = TAG (read_u16 (w->data + pos, enc.big_endian),
                 read_u16 (w->data + pos + 2, enc.big_endian));
      length = read_u32 (w->data + pos + 4, enc.big_endian);
      pos += 8;

      if (tag == TAG_SEQ_END)
        return pos;
      if (tag != TAG_ITEM)
        {
          fail (w, "expected an item in a sequence");
          return end;
        }

      if (length == UNDEFINED_LENGTH)
        {
          pos = walk_dataset (w, pos, end, enc, depth + 1, TRUE);
        }
      else
        {
          if (length > end - pos)
            {
              fail (w, "item runs past the end");
              return end;
            }
          walk_dataset (w, pos, pos + length, enc, depth + 1, FALSE);
          pos += length;
        }
    }

  if (undefined_length && !w->failed)
    fail (w, "sequence without its delimiter");
  return pos;
}

/* Explicit VR shows a known VR right after the first tag. */
static Encoding
guess_encoding (const guint8 *data,
                gsize         pos,
                gsize         length)
{
  Encoding enc = { TRUE, FALSE };

  if (length - pos >= 6 && !is_known_vr (data + pos + 4))
    enc.explicit_vr = FALSE;
  return enc;
}

static gboolean
has_magic (const guint8 *data,
           gsize         length)
{
  return length >= PREAMBLE_LENGTH + 4 &&
         memcmp (data + PREAMBLE_LENGTH, "DICM", 4) == 0;
}

/**
 * wc_dicom_sniff:
 * @data: (array length=length): the start of a file, or all of it
 * @length: bytes in @data
 *
 * Whether @data is a DICOM file: "DICM" after the 128-byte preamble, or
 * (older files, PS3.10 §7.1 not followed) a data set that begins directly
 * with a group 0x0008 element, or with the file meta group, in implicit or
 * explicit VR little endian.
 *
 * Returns: %TRUE for DICOM
 */
gboolean
wc_dicom_sniff (const guint8 *data,
                gsize         length)
{
  guint16 group, element;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (has_magic (data, length))
    return TRUE;
  if (length < 8)
    return FALSE;

  group = read_u16 (data, FALSE);
  element = read_u16 (data + 2, FALSE);

  if (group == 0x0002)
    return element <= 0x0002 && is_known_vr (data + 4);

  if (group != 0x0008)
    return FALSE;
  if (is_known_vr (data + 4))
    return TRUE;

  /* Implicit VR: the first group 0x0008 attributes are short strings or
   * a sequence of undefined length. Anything else is not worth the guess. */
  {
    guint32 first_length = read_u32 (data + 4, FALSE);
    return element < 0x2000 &&
           (first_length <= 1024 || first_length == UNDEFINED_LENGTH);
  }
}

/**
 * wc_dicom_scan:
 * @data: (array length=length): the whole file
 * @length: bytes in @data
 * @scan: (out caller-allocates): what was found
 *
 * Walks the file meta group and the data set, sequences included, and
 * notes which identifying attributes hold a non-blank value. Big-endian
 * files are walked too; deflated ones are reported as not readable.
 *
 * Returns: %FALSE when @data is not DICOM at all
 */
gboolean
wc_dicom_scan (const guint8 *data,
               gsize         length,
               WcDicomScan  *scan)
{
  Walker w = { data, length, scan, FALSE };
  Encoding meta_enc = { TRUE, FALSE };
  Encoding enc = { TRUE, FALSE };
  gsize pos = 0;
  gboolean have_transfer_syntax = FALSE;
  gboolean deflated = FALSE;

  g_return_val_if_fail (scan != NULL, FALSE);

  memset (scan, 0, sizeof *scan);
  if (!wc_dicom_sniff (data, length))
    return FALSE;

  if (has_magic (data, length))
    pos = PREAMBLE_LENGTH + 4;

  /* The file meta group is always explicit VR little endian. */
  while (length - pos >= 8 && read_u16 (data + pos, FALSE) == 0x0002)
    {
      Element el;

      if (!read_element (&w, pos, length, meta_enc, &el))
        break;
      if (el.length == UNDEFINED_LENGTH || el.length > length - el.value_pos)
        {
          fail (&w, "file meta element runs past the end");
          break;
        }

      if (el.tag == TAG_TRANSFER)
        {
          char uid[65] = { 0 };
          gsize n = MIN (el.length, sizeof uid - 1);

          memcpy (uid, data + el.value_pos, n);
          g_strchomp (uid);  /* padded with a space or a NUL */
          have_transfer_syntax = TRUE;

          if (g_str_equal (uid, "1.2.840.10008.1.2"))
            enc = (Encoding) { FALSE, FALSE };
          else if (g_str_equal (uid, "1.2.840.10008.1.2.2"))
            enc = (Encoding) { TRUE, TRUE };
          else if (g_str_equal (uid, "1.2.840.10008.1.2.1.99"))
            deflated = TRUE;
          else
            enc = (Encoding) { TRUE, FALSE };  /* explicit LE, compressed or not */
          g_debug ("DICOM transfer syntax %s", uid);
        }
      pos = el.value_pos + el.length;
    }

  if (w.failed)
    {
      scan->readable = FALSE;
      return TRUE;
    }

  if (deflated)
    {
      g_debug ("Deflated DICOM data set: not walked");
      scan->readable = FALSE;
      return TRUE;
    }

  if (!have_transfer_syntax)
    enc = guess_encoding (data, pos, length);

  walk_dataset (&w, pos, length, enc, 0, FALSE);
  scan->readable = !w.failed;
  return TRUE;
}

gboolean
wc_dicom_scan_has (const WcDicomScan *scan,
                   WcDicomAttribute   attribute)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail ((guint) attribute < WC_DICOM_N_ATTRS, FALSE);

  return (scan->found & (1u << attribute)) != 0;
}

/**
 * wc_dicom_attribute_get_keyword:
 * @attribute: an attribute
 *
 * Returns: (transfer none): the DICOM keyword, such as "PatientName", or
 *   "Private tags" for any attribute of an odd group
 */
const char *
wc_dicom_attribute_get_keyword (WcDicomAttribute attribute)
{
  g_return_val_if_fail ((guint) attribute < WC_DICOM_N_ATTRS, NULL);

  if (attribute == WC_DICOM_ATTR_PRIVATE_TAGS)
    return "Private tags";
  if (attribute == WC_DICOM_ATTR_BURNED_IN_ANNOTATION)
    return "BurnedInAnnotation";

  for (guint i = 0; i < G_N_ELEMENTS (identifying); i++)
    if (identifying[i].attribute == attribute)
      return identifying[i].keyword;

  g_return_val_if_reached (NULL);
}
