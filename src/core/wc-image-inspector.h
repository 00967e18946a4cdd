/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What an image file gives away besides its pixels: EXIF/XMP/IPTC read
 * with gexiv2, PNG text chunks, JPEG comments, and the identifying
 * attributes of a DICOM file. Only the names of what was found are kept,
 * never the values. */

#define WC_IMAGE_ERROR (wc_image_error_quark ())

typedef enum
{
  WC_IMAGE_ERROR_FAILED,       /* reading or writing a file failed */
  WC_IMAGE_ERROR_UNSUPPORTED,  /* not a JPEG or PNG, cannot be stripped */
  WC_IMAGE_ERROR_DICOM,        /* a DICOM file, never uploaded as such */
  WC_IMAGE_ERROR_CORRUPT,      /* a JPEG or PNG that does not decode */
  WC_IMAGE_ERROR_TOO_LARGE,    /* more pixels than Whitecoat will decode */
} WcImageError;

typedef enum
{
  WC_IMAGE_ITEM_GPS,               /* GPS position, location names */
  WC_IMAGE_ITEM_METADATA,          /* time, camera, serial, software, author */
  WC_IMAGE_ITEM_CAPTION,           /* any free text: caption, title, keywords… */
  WC_IMAGE_ITEM_THUMBNAIL,         /* an embedded preview of the uncropped picture */
  WC_IMAGE_ITEM_DICOM_IDENTIFIER,  /* a DICOM attribute, by keyword */
} WcImageItemKind;

/* @name is a static English string ("GPS position", "Camera serial number",
 * "PatientName", …) for the caller to map to a translated label. */
typedef struct
{
  WcImageItemKind  kind;
  const char      *name;
} WcImageItem;

typedef struct _WcImageReport WcImageReport;

GQuark             wc_image_error_quark           (void);

void               wc_image_init_gexiv2           (void);

#define WC_TYPE_IMAGE_REPORT (wc_image_report_get_type ())
GType              wc_image_report_get_type       (void) G_GNUC_CONST;
WcImageReport     *wc_image_report_ref            (WcImageReport   *self);
void               wc_image_report_unref          (WcImageReport   *self);
gboolean           wc_image_report_get_is_dicom   (const WcImageReport *self);
gboolean           wc_image_report_get_readable   (const WcImageReport *self);
const char        *wc_image_report_get_format     (const WcImageReport *self);
int                wc_image_report_get_width      (const WcImageReport *self);
int                wc_image_report_get_height     (const WcImageReport *self);
gboolean           wc_image_report_get_has_metadata (const WcImageReport *self);
gboolean           wc_image_report_get_can_strip  (const WcImageReport *self);
gboolean           wc_image_report_get_burned_in_annotation (const WcImageReport *self);
guint              wc_image_report_get_n_items    (const WcImageReport *self);
const WcImageItem *wc_image_report_get_item       (const WcImageReport *self,
                                                   guint            index);
gboolean           wc_image_report_has_kind       (const WcImageReport *self,
                                                   WcImageItemKind  kind);
gboolean           wc_image_report_has_item       (const WcImageReport *self,
                                                   const char      *name);

WcImageReport     *wc_image_report_new_unreadable (void);
WcImageReport     *wc_image_inspect_file          (const char      *path,
                                                   GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcImageReport, wc_image_report_unref)

G_END_DECLS
