/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "wc-image-inspector.h"

G_BEGIN_DECLS

/* Re-encodes a JPEG or PNG from its pixels alone, so that no metadata
 * (EXIF, XMP, IPTC, comments, text chunks, thumbnails, ICC profiles) can
 * survive. Errors are in the WC_IMAGE_ERROR domain. Blocking and
 * thread-safe: run it in a thread. */

gboolean  wc_image_strip_metadata (const char  *in_path,
                                   const char  *out_path,
                                   GError     **error);
char     *wc_image_strip_to_temp  (const char  *in_path,
                                   GError     **error);
GBytes   *wc_image_strip_for_upload (const char  *in_path,
                                     gsize        max_bytes,
                                     char       **mime_type,
                                     guint       *width,
                                     guint       *height,
                                     GError     **error);

G_END_DECLS
