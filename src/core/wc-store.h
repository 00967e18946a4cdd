/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-account.h"
#include "wc-crypto.h"
#include "wc-draft.h"
#include "wc-identity.h"
#include "wc-person.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

#define WC_STORE_ERROR (wc_store_error_quark ())

typedef enum
{
  WC_STORE_ERROR_OPEN,        /* the file cannot be opened or created */
  WC_STORE_ERROR_CORRUPT,     /* not a database, or damaged */
  WC_STORE_ERROR_TOO_NEW,     /* written by a newer Whitecoat */
  WC_STORE_ERROR_CROSS_LINK,  /* the account belongs to the other identity */
  WC_STORE_ERROR_DUPLICATE,   /* the account is already in this identity */
  WC_STORE_ERROR_NOT_FOUND,
  WC_STORE_ERROR_INVALID,     /* the object did not validate; see the message */
  WC_STORE_ERROR_FAILED,
  WC_STORE_ERROR_LOCKED,      /* sealed data waits for the data key */
  WC_STORE_ERROR_WRONG_KEY,   /* sealed data does not open with the data key */
} WcStoreError;

GQuark wc_store_error_quark (void);

/* The schema version this build writes. Earlier versions are migrated
 * forward; later ones are refused (WC_STORE_ERROR_TOO_NEW). */
#define WC_STORE_SCHEMA_VERSION 9

#define WC_TYPE_STORE (wc_store_get_type ())
G_DECLARE_FINAL_TYPE (WcStore, wc_store, WC, STORE, GObject)

char       *wc_store_dup_default_path      (void);
WcStore    *wc_store_open                  (const char      *path,
                                            GError         **error);
WcStore    *wc_store_open_or_recover       (const char      *path,
                                            char           **moved_aside_path,
                                            GError         **error);
WcStore    *wc_store_open_at_version       (const char      *path,
                                            int              version,
                                            GError         **error);
const char *wc_store_get_path              (WcStore         *self);
char       *wc_store_dup_images_dir        (WcStore         *self);
int         wc_store_get_schema_version    (WcStore         *self);
void        wc_store_close                 (WcStore         *self);

WcIdentity *wc_store_load_identity         (WcStore         *self,
                                            WcIdentityKind   kind,
                                            GError         **error);
gboolean    wc_store_save_identity         (WcStore         *self,
                                            WcIdentity      *identity,
                                            GError         **error);

GPtrArray  *wc_store_list_accounts         (WcStore         *self,
                                            WcIdentityKind   kind,
                                            GError         **error);
GPtrArray  *wc_store_list_all_accounts     (WcStore         *self,
                                            GError         **error);
WcAccount  *wc_store_get_account           (WcStore         *self,
                                            gint64           id,
                                            GError         **error);
gboolean    wc_store_add_account           (WcStore         *self,
                                            WcAccount       *account,
                                            GError         **error);
gboolean    wc_store_update_account        (WcStore         *self,
                                            WcAccount       *account,
                                            GError         **error);
gboolean    wc_store_remove_account        (WcStore         *self,
                                            gint64           id,
                                            GError         **error);
guint       wc_store_count_accounts        (WcStore         *self,
                                            WcIdentityKind   kind);

gboolean    wc_store_delete_database       (const char      *path,
                                            GError         **error);

/* Encryption at rest. What is written about patients (drafts' text,
 * content warnings, their pictures' file names, sources and alt texts,
 * reasons for dismissed findings and their copy in the audit log, the
 * outbox's posts and their images) is sealed with the data key
 * (wc-crypto.h, kept in the keyring). The store opens without it; until
 * it is set, reading a sealed value or writing one of those fails with
 * #WC_STORE_ERROR_LOCKED. Setting it seals what an older Whitecoat left in
 * plaintext and scrubs the file of it; a key that opens none of the
 * sealed values is refused (#WC_STORE_ERROR_WRONG_KEY). */
gboolean    wc_store_set_data_key          (WcStore         *self,
                                            WcCryptoKey     *key,
                                            GError         **error);
gboolean    wc_store_has_data_key          (WcStore         *self);

gboolean    wc_store_save_draft            (WcStore         *self,
                                            WcDraft         *draft,
                                            GError         **error);
WcDraft    *wc_store_load_draft            (WcStore         *self,
                                            gint64           id,
                                            GError         **error);
GPtrArray  *wc_store_list_drafts           (WcStore         *self,
                                            WcIdentityKind   kind,
                                            GError         **error);
gboolean    wc_store_delete_draft          (WcStore         *self,
                                            gint64           id,
                                            GError         **error);

/* The audit log: every publish, override of a warning with its reason,
 * consent record, answered request and changed privacy setting. */
typedef struct
{
  gint64          id;
  gint64          at;          /* seconds since the epoch */
  gboolean        has_identity;
  WcIdentityKind  identity;
  gint64          account_id;  /* -1 when none */
  char           *kind;        /* "publish", "override", "consent", "request", "setting" */
  char           *summary;
  char           *reason;      /* nullable */
} WcAuditEntry;

void        wc_audit_entry_free            (WcAuditEntry    *entry);
gboolean    wc_store_append_audit          (WcStore         *self,
                                            const WcAuditEntry *entry,
                                            GError         **error);
GPtrArray  *wc_store_list_audit            (WcStore         *self,
                                            GError         **error);

/* A finding the user dismissed in a draft, with the reason. */
typedef struct
{
  char   *check_id;
  int     attachment;  /* -1 for the text */
  char   *reason;
  gint64  at;
} WcDismissal;

void        wc_dismissal_free              (WcDismissal     *dismissal);
gboolean    wc_store_add_dismissal         (WcStore         *self,
                                            gint64           draft_id,
                                            const char      *check_id,
                                            int              attachment,
                                            const char      *reason,
                                            GError         **error);
GPtrArray  *wc_store_list_dismissals       (WcStore         *self,
                                            gint64           draft_id,
                                            GError         **error);

/* Person tags and the patient roster: keyed hashes only (wc-person.h). A
 * hash column refuses anything but a hash (WC_STORE_ERROR_INVALID), so no
 * plain name can land in the database by mistake. */
gboolean    wc_store_set_person_tag        (WcStore         *self,
                                            const char      *hash,
                                            WcPersonTag      tag,
                                            GError         **error);
gboolean    wc_store_remove_person_tag     (WcStore         *self,
                                            const char      *hash,
                                            GError         **error);
GHashTable *wc_store_load_person_tags      (WcStore         *self,
                                            GError         **error);

typedef struct
{
  WcRosterKind  kind;
  const char   *hash;
} WcRosterHash;

gboolean    wc_store_add_roster_hashes     (WcStore         *self,
                                            const WcRosterHash *hashes,
                                            guint            n_hashes,
                                            GError         **error);
gboolean    wc_store_remove_roster_hashes  (WcStore         *self,
                                            const WcRosterHash *hashes,
                                            guint            n_hashes,
                                            GError         **error);
gboolean    wc_store_forget_roster         (WcStore         *self,
                                            GError         **error);
gboolean    wc_store_roster_contains       (WcStore         *self,
                                            WcRosterKind     kind,
                                            const char      *hash);
GHashTable *wc_store_list_roster_hashes    (WcStore         *self,
                                            WcRosterKind     kind,
                                            GError         **error);
guint       wc_store_count_roster_hashes   (WcStore         *self,
                                            WcRosterKind     kind);

/* What the networks report about the accounts, with its date. */
gboolean    wc_store_save_account_state    (WcStore         *self,
                                            const WcAccountState *state,
                                            GError         **error);
WcAccountState *wc_store_load_account_state (WcStore        *self,
                                            gint64           account_id,
                                            GError         **error);
gboolean    wc_store_save_follower_snapshot (WcStore        *self,
                                            WcFollowerSnapshot *snapshot,
                                            GError         **error);
WcFollowerSnapshot *wc_store_load_follower_snapshot (WcStore *self,
                                            gint64           account_id,
                                            GError         **error);

G_END_DECLS
