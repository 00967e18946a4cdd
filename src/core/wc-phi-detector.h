/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-finding.h"

G_BEGIN_DECLS

/* Finds patient-identifying information in a draft's text (rule R3):
 * dates of birth, full dates near a patient, ages over 89, phone numbers,
 * e-mail addresses, postcodes, street addresses, record numbers, the Dutch
 * BSN, the NHS number, the US SSN, patient names, room and bed numbers, and
 * a rare condition named together with a date.
 *
 * Built once from its vocabulary (all patterns are compiled then) and
 * reused for every run; a run does not allocate patterns and never logs
 * the text it reads. */

#define WC_PHI_DETECTOR_ERROR (wc_phi_detector_error_quark ())

typedef enum
{
  WC_PHI_DETECTOR_ERROR_INVALID,
} WcPhiDetectorError;

#define WC_TYPE_PHI_DETECTOR (wc_phi_detector_get_type ())
G_DECLARE_FINAL_TYPE (WcPhiDetector, wc_phi_detector, WC, PHI_DETECTOR, GObject)

GQuark         wc_phi_detector_error_quark            (void);

WcPhiDetector *wc_phi_detector_new                    (GError             **error);
WcPhiDetector *wc_phi_detector_new_from_bytes         (GBytes              *vocabulary,
                                                       GError             **error);
void           wc_phi_detector_set_own_organisations  (WcPhiDetector       *self,
                                                       const char * const  *names);
void           wc_phi_detector_run                    (WcPhiDetector       *self,
                                                       const char          *text,
                                                       GArray              *hits);

gboolean       wc_phi_bsn_is_valid                    (const char          *number);
gboolean       wc_phi_nhs_number_is_valid             (const char          *number);
gboolean       wc_phi_ssn_is_valid                    (const char          *number);

G_END_DECLS
