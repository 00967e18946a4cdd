/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bounds-checked walk over a DICOM file (PS3.10) held in memory. It tells
 * which identifying attributes are present, by keyword, and never keeps or
 * returns their values: what it finds is patient data. */

typedef enum
{
  WC_DICOM_ATTR_PATIENT_NAME,
  WC_DICOM_ATTR_PATIENT_ID,
  WC_DICOM_ATTR_PATIENT_BIRTH_DATE,
  WC_DICOM_ATTR_PATIENT_ADDRESS,
  WC_DICOM_ATTR_PATIENT_TELEPHONE_NUMBERS,
  WC_DICOM_ATTR_OTHER_PATIENT_IDS,
  WC_DICOM_ATTR_OTHER_PATIENT_NAMES,
  WC_DICOM_ATTR_INSTITUTION_NAME,
  WC_DICOM_ATTR_INSTITUTION_ADDRESS,
  WC_DICOM_ATTR_REFERRING_PHYSICIAN_NAME,
  WC_DICOM_ATTR_PERFORMING_PHYSICIAN_NAME,
  WC_DICOM_ATTR_OPERATORS_NAME,
  WC_DICOM_ATTR_ACCESSION_NUMBER,
  WC_DICOM_ATTR_STUDY_DATE,
  WC_DICOM_ATTR_SERIES_DATE,
  WC_DICOM_ATTR_ACQUISITION_DATE,
  WC_DICOM_ATTR_CONTENT_DATE,
  WC_DICOM_ATTR_STATION_NAME,
  WC_DICOM_ATTR_DEVICE_SERIAL_NUMBER,
  WC_DICOM_ATTR_PRIVATE_TAGS,
  WC_DICOM_ATTR_BURNED_IN_ANNOTATION,
  WC_DICOM_N_ATTRS /*< skip >*/
} WcDicomAttribute;

typedef struct
{
  /* The data set was walked to its end without running off the buffer or
   * meeting something it could not decode (deflated transfer syntax,
   * malformed lengths). Attributes met before the trouble are still set. */
  gboolean readable;
  /* Rows and Columns of the top-level data set, 0 when absent. */
  guint    rows;
  guint    columns;
  /* BurnedInAnnotation is present and says "YES". Its absence or a "NO"
   * proves nothing: secondary captures often lie. */
  gboolean burned_in_annotation_yes;
  guint32  found;  /* 1 << WcDicomAttribute */
} WcDicomScan;

gboolean    wc_dicom_sniff                  (const guint8     *data,
                                             gsize             length);
gboolean    wc_dicom_scan                   (const guint8     *data,
                                             gsize             length,
                                             WcDicomScan      *scan);
gboolean    wc_dicom_scan_has               (const WcDicomScan *scan,
                                             WcDicomAttribute  attribute);
const char *wc_dicom_attribute_get_keyword  (WcDicomAttribute  attribute);

G_END_DECLS
