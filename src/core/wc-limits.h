/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long a post is as each network counts it (../shared/NETWORKS.md). */

/* Mastodon's placeholder length for a link when the server does not say. */
#define WC_MASTODON_CHARS_PER_URL 23
#define WC_BLUESKY_MAX_BYTES      3000

guint wc_limits_mastodon_length (const char *content_warning,
                                 const char *text,
                                 guint       chars_per_url);
guint wc_limits_bluesky_length  (const char *text,
                                 gsize      *bytes);

G_END_DECLS
