/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-account.h"
#include "wc-core-enums.h"
#include "wc-util.h"

struct _WcAccount
{
  GObject         parent_instance;

  gint64          id;
  WcIdentityKind  identity;
  char           *network;
  char           *handle;
  char           *server;
  char           *profile_url;
  char           *display_name;
  char           *custom_name;
  char           *remote_id;
  gint64          connected_at;
};

G_DEFINE_FINAL_TYPE (WcAccount, wc_account, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-account-error-quark, wc_account_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_IDENTITY,
  PROP_NETWORK,
  PROP_HANDLE,
  PROP_SERVER,
  PROP_PROFILE_URL,
  PROP_DISPLAY_NAME,
  PROP_CUSTOM_NAME,
  PROP_REMOTE_ID,
  PROP_CONNECTED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string_property (WcAccount   *self,
                     char       **field,
                     const char  *value,
                     guint        prop_id)
{
  if (wc_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* A server as "mastodon.social" or "https://mastodon.social/" becomes
 * "https://mastodon.social". */
static char *
normalize_server (const char *server)
{
  g_autofree char *stripped = wc_strip_dup (server);
  g_autofree char *with_scheme = NULL;
  gsize len;

  if (*stripped == '\0')
    return g_strdup ("");

  if (strstr (stripped, "://") == NULL)
    with_scheme = g_strconcat ("https://", stripped, NULL);
  else
    with_scheme = g_steal_pointer (&stripped);

  len = strlen (with_scheme);
  while (len > 0 && with_scheme[len - 1] == '/')
    with_scheme[--len] = '\0';

  return g_steal_pointer (&with_scheme);
}

static void
wc_account_finalize (GObject *object)
{
  WcAccount *self = (WcAccount *) object;

  g_free (self->network);
  g_free (self->handle);
  g_free (self->server);
  g_free (self->profile_url);
  g_free (self->display_name);
  g_free (self->custom_name);
  g_free (self->remote_id);

  G_OBJECT_CLASS (wc_account_parent_class)->finalize (object);
}

static void
wc_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WcAccount *self = WC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_IDENTITY:
      g_value_set_enum (value, self->identity);
      break;
    case PROP_NETWORK:
      g_value_set_string (value, self->network);
      break;
    case PROP_HANDLE:
      g_value_set_string (value, self->handle);
      break;
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_PROFILE_URL:
      g_value_set_string (value, self->profile_url);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_CUSTOM_NAME:
      g_value_set_string (value, self->custom_name);
      break;
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_CONNECTED_AT:
      g_value_set_int64 (value, self->connected_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WcAccount *self = WC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      wc_account_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_IDENTITY:
      wc_account_set_identity (self, g_value_get_enum (value));
      break;
    case PROP_NETWORK:
      wc_account_set_network (self, g_value_get_string (value));
      break;
    case PROP_HANDLE:
      wc_account_set_handle (self, g_value_get_string (value));
      break;
    case PROP_SERVER:
      wc_account_set_server (self, g_value_get_string (value));
      break;
    case PROP_PROFILE_URL:
      wc_account_set_profile_url (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      wc_account_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_CUSTOM_NAME:
      wc_account_set_custom_name (self, g_value_get_string (value));
      break;
    case PROP_REMOTE_ID:
      wc_account_set_remote_id (self, g_value_get_string (value));
      break;
    case PROP_CONNECTED_AT:
      wc_account_set_connected_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_account_class_init (WcAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wc_account_finalize;
  object_class->get_property = wc_account_get_property;
  object_class->set_property = wc_account_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_IDENTITY] =
    g_param_spec_enum ("identity", NULL, NULL,
                       WC_TYPE_IDENTITY_KIND, WC_IDENTITY_PERSONAL, flags);
  properties[PROP_NETWORK] = g_param_spec_string ("network", NULL, NULL, NULL, flags);
  properties[PROP_HANDLE] = g_param_spec_string ("handle", NULL, NULL, NULL, flags);
  properties[PROP_SERVER] = g_param_spec_string ("server", NULL, NULL, NULL, flags);
  properties[PROP_PROFILE_URL] = g_param_spec_string ("profile-url", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOM_NAME] = g_param_spec_string ("custom-name", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, flags);
  properties[PROP_CONNECTED_AT] =
    g_param_spec_int64 ("connected-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wc_account_init (WcAccount *self)
{
  self->id = -1;
}

/**
 * wc_account_new:
 * @identity: the identity that owns the account
 * @network: a network id from the catalog, such as "mastodon"
 *
 * Returns: (transfer full): a new account, not yet stored (id -1)
 */
WcAccount *
wc_account_new (WcIdentityKind  identity,
                const char     *network)
{
  return g_object_new (WC_TYPE_ACCOUNT,
                       "identity", identity,
                       "network", network,
                       NULL);
}

gint64
wc_account_get_id (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), -1);
  return self->id;
}

void
wc_account_set_id (WcAccount *self,
                   gint64     id)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

WcIdentityKind
wc_account_get_identity (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), WC_IDENTITY_PERSONAL);
  return self->identity;
}

void
wc_account_set_identity (WcAccount      *self,
                         WcIdentityKind  identity)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  if (self->identity != identity)
    {
      self->identity = identity;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
    }
}

const char *
wc_account_get_network (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->network;
}

void
wc_account_set_network (WcAccount  *self,
                        const char *network)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->network, network, PROP_NETWORK);
}

const char *
wc_account_get_handle (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->handle;
}

void
wc_account_set_handle (WcAccount  *self,
                       const char *handle)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->handle, handle, PROP_HANDLE);
}

const char *
wc_account_get_server (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->server;
}

void
wc_account_set_server (WcAccount  *self,
                       const char *server)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->server, server, PROP_SERVER);
}

const char *
wc_account_get_profile_url (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->profile_url;
}

void
wc_account_set_profile_url (WcAccount  *self,
                            const char *profile_url)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->profile_url, profile_url, PROP_PROFILE_URL);
}

const char *
wc_account_get_display_name (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->display_name;
}

void
wc_account_set_display_name (WcAccount  *self,
                             const char *display_name)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

const char *
wc_account_get_custom_name (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->custom_name;
}

void
wc_account_set_custom_name (WcAccount  *self,
                            const char *custom_name)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->custom_name, custom_name, PROP_CUSTOM_NAME);
}

/**
 * wc_account_dup_title:
 *
 * Returns: (transfer full): what to call the account in lists: its display
 *   name, or else its handle
 */
char *
wc_account_dup_title (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);

  if (!wc_text_is_blank (self->display_name))
    return wc_strip_dup (self->display_name);
  return wc_strip_dup (self->handle);
}

/**
 * wc_account_get_remote_id:
 *
 * Returns: (nullable): the account's id on its network (Mastodon's account
 *   id), known once Whitecoat signed in to it
 */
const char *
wc_account_get_remote_id (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);
  return self->remote_id;
}

void
wc_account_set_remote_id (WcAccount  *self,
                          const char *remote_id)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  set_string_property (self, &self->remote_id, remote_id, PROP_REMOTE_ID);
}

/**
 * wc_account_get_connected_at:
 *
 * Returns: when Whitecoat last signed in to the account (seconds since the
 *   epoch), or 0 when it is only described
 */
gint64
wc_account_get_connected_at (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), 0);
  return self->connected_at;
}

void
wc_account_set_connected_at (WcAccount *self,
                             gint64     connected_at)
{
  g_return_if_fail (WC_IS_ACCOUNT (self));
  connected_at = MAX (connected_at, 0);
  if (self->connected_at != connected_at)
    {
      self->connected_at = connected_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED_AT]);
    }
}

/**
 * wc_account_is_connected:
 *
 * Whether Whitecoat signed in to the account (its token is in the keyring)
 * rather than only knowing its description.
 *
 * Returns: %TRUE when connected
 */
gboolean
wc_account_is_connected (WcAccount *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (self), FALSE);
  return self->connected_at > 0;
}

/**
 * wc_account_normalize:
 *
 * Brings the fields to their canonical form: trimmed, the handle in the
 * network's form, the server as an https URL without a trailing slash.
 * Call it before validating and storing.
 */
void
wc_account_normalize (WcAccount *self)
{
  WcNetworkInfo *info;
  g_autofree char *display_name = NULL;
  g_autofree char *profile_url = NULL;
  g_autofree char *custom_name = NULL;

  g_return_if_fail (WC_IS_ACCOUNT (self));

  info = wc_network_catalog_lookup (wc_network_catalog_get_default (), self->network);
  if (info != NULL && self->handle != NULL)
    {
      g_autofree char *handle = wc_network_info_normalize_handle (info, self->handle);
      wc_account_set_handle (self, handle);
    }

  if (info != NULL && wc_network_info_get_needs_server (info))
    {
      g_autofree char *server = NULL;

      const char *handle_host = NULL;

      /* A fediverse handle names its server's domain; use it when no server
       * is given. (A server may use another web address than its handles'
       * domain, so an explicit server is kept as it is.) */
      if (self->handle != NULL && self->handle[0] == '@')
        handle_host = strchr (self->handle + 1, '@');

      if (wc_text_is_blank (self->server) && handle_host != NULL && handle_host[1] != '\0')
        server = g_strconcat ("https://", handle_host + 1, NULL);
      else if (wc_text_is_blank (self->server))
        server = g_strdup (wc_network_info_get_default_server (info));
      else
        server = normalize_server (self->server);
      wc_account_set_server (self, server);
    }
  else
    wc_account_set_server (self, NULL);

  display_name = wc_strip_dup (self->display_name);
  wc_account_set_display_name (self, *display_name ? display_name : NULL);
  profile_url = wc_strip_dup (self->profile_url);
  wc_account_set_profile_url (self, *profile_url ? profile_url : NULL);
  custom_name = wc_strip_dup (self->custom_name);
  wc_account_set_custom_name (self, *custom_name ? custom_name : NULL);
}

/**
 * wc_account_dup_key:
 *
 * The key that makes two descriptions the same account: the network and the
 * normalised handle (for Mastodon the handle carries its server).
 *
 * Returns: (transfer full): the key
 */
char *
wc_account_dup_key (WcAccount *self)
{
  WcNetworkInfo *info;
  g_autofree char *handle = NULL;

  g_return_val_if_fail (WC_IS_ACCOUNT (self), NULL);

  info = wc_network_catalog_lookup (wc_network_catalog_get_default (), self->network);
  if (info != NULL)
    handle = wc_network_info_normalize_handle (info, self->handle);
  else
    handle = wc_strip_dup (self->handle);

  if (info != NULL && wc_network_info_get_is_custom (info))
    {
      /* "Other" covers many sites: the site's name is part of the key. */
      g_autofree char *site = wc_strip_dup (self->custom_name);
      g_autofree char *site_folded = g_utf8_casefold (site, -1);
      g_autofree char *handle_folded = g_utf8_casefold (handle, -1);

      return g_strdup_printf ("%s:%s:%s", self->network, site_folded, handle_folded);
    }

  return g_strdup_printf ("%s:%s", self->network, handle);
}

/**
 * wc_account_validate:
 * @error: a #WC_ACCOUNT_ERROR whose code names the field at fault and whose
 *   message can be shown at that field
 *
 * Validates the account as it is; call wc_account_normalize() first.
 *
 * Returns: whether the account can be stored
 */
gboolean
wc_account_validate (WcAccount  *self,
                     GError    **error)
{
  WcNetworkInfo *info;
  g_autoptr(GError) handle_error = NULL;

  g_return_val_if_fail (WC_IS_ACCOUNT (self), FALSE);

  info = wc_network_catalog_lookup (wc_network_catalog_get_default (), self->network);
  if (info == NULL)
    {
      g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_NETWORK,
                           _("Choose the network of the account."));
      return FALSE;
    }

  if (wc_network_info_get_is_custom (info))
    {
      if (wc_text_is_blank (self->custom_name) || wc_text_has_control (self->custom_name))
        {
          g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_CUSTOM_NAME,
                               _("Name the site, for example “Doximity”."));
          return FALSE;
        }
      if (g_utf8_strlen (self->custom_name, -1) > WC_ACCOUNT_MAX_DISPLAY_NAME)
        {
          g_set_error (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_CUSTOM_NAME,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The site’s name can be at most %d character long.",
                                    "The site’s name can be at most %d characters long.", WC_ACCOUNT_MAX_DISPLAY_NAME),
                       WC_ACCOUNT_MAX_DISPLAY_NAME);
          return FALSE;
        }
    }

  if (!wc_network_info_validate_handle (info, self->handle, &handle_error))
    {
      g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_HANDLE,
                           handle_error->message);
      return FALSE;
    }

  if (wc_network_info_get_needs_server (info))
    {
      if (!wc_url_is_http (self->server) || strlen (self->server) > WC_ACCOUNT_MAX_URL)
        {
          g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_SERVER,
                               _("Type the server’s web address, starting with https://"));
          return FALSE;
        }
    }

  if (self->profile_url != NULL
      && (!wc_url_is_http (self->profile_url) || strlen (self->profile_url) > WC_ACCOUNT_MAX_URL))
    {
      g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_PROFILE_URL,
                           _("Type the profile’s web address, starting with https://, or leave it empty."));
      return FALSE;
    }

  if (self->display_name != NULL)
    {
      if (!g_utf8_validate (self->display_name, -1, NULL) || wc_text_has_control (self->display_name))
        {
          g_set_error_literal (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_DISPLAY_NAME,
                               _("The display name must be one line of text."));
          return FALSE;
        }
      if (g_utf8_strlen (self->display_name, -1) > WC_ACCOUNT_MAX_DISPLAY_NAME)
        {
          g_set_error (error, WC_ACCOUNT_ERROR, WC_ACCOUNT_ERROR_DISPLAY_NAME,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The display name can be at most %d character long.",
                                    "The display name can be at most %d characters long.", WC_ACCOUNT_MAX_DISPLAY_NAME),
                       WC_ACCOUNT_MAX_DISPLAY_NAME);
          return FALSE;
        }
    }

  return TRUE;
}
