/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* People the doctor marks (person tags) or lists (the patient roster). The
 * database holds them only as keyed hashes: HMAC-SHA256 of a normalised
 * string, keyed by a random key kept in the keyring. This file holds the
 * tags, the normalisation and the hashing. */

typedef enum
{
  WC_PERSON_TAG_PATIENT,
  WC_PERSON_TAG_COLLEAGUE,
  WC_PERSON_TAG_EMPLOYER,
  WC_PERSON_TAG_PRESS,
  WC_PERSON_TAG_FAMILY,
} WcPersonTag;

#define WC_PERSON_N_TAGS 5

const char *wc_person_tag_to_string   (WcPersonTag  tag);
gboolean    wc_person_tag_from_string (const char  *str,
                                       WcPersonTag *tag);
const char *wc_person_tag_get_label   (WcPersonTag  tag);

/* What a roster entry or a hash stands for. */
typedef enum
{
  WC_ROSTER_KIND_NAME,
  WC_ROSTER_KIND_HANDLE,
  WC_ROSTER_KIND_EMAIL,
} WcRosterKind;

const char *wc_roster_kind_to_string   (WcRosterKind  kind);
gboolean    wc_roster_kind_from_string (const char   *str,
                                        WcRosterKind *kind);

/* Normalisation: the same person written in different ways gives the same
 * string, and so the same hash. */
char   *wc_person_normalize_handle  (const char *handle);
char   *wc_person_normalize_email   (const char *email);
char   *wc_person_normalize_words   (const char *text);
GStrv   wc_person_name_variants     (const char *name);
gboolean wc_person_email_is_valid   (const char *email);

/* The keyed hash. */
#define WC_HASHER_KEY_SIZE 32
#define WC_HASH_HEX_LENGTH 64

typedef struct _WcHasher WcHasher;

#define WC_TYPE_HASHER (wc_hasher_get_type ())
GType     wc_hasher_get_type      (void) G_GNUC_CONST;
WcHasher *wc_hasher_new           (const guint8        *key,
                                   gsize                len);
WcHasher *wc_hasher_ref           (WcHasher            *self);
void      wc_hasher_unref         (WcHasher            *self);
char     *wc_hasher_hash          (WcHasher            *self,
                                   const char          *normalised);
char     *wc_hasher_hash_len      (WcHasher            *self,
                                   const char          *normalised,
                                   gsize                length);
char     *wc_hasher_hash_handle   (WcHasher            *self,
                                   const char          *handle);
gboolean  wc_hash_is_valid        (const char          *hash);

void      wc_hasher_load_async    (GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
WcHasher *wc_hasher_load_finish   (GAsyncResult        *result,
                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcHasher, wc_hasher_unref)

G_END_DECLS
