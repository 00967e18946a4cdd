/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-identity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-core-enums.h"
#include "wc-identity.h"
#include "wc-util.h"

#define MAX_NAME_LENGTH   100
#define MAX_MARKER_LENGTH 200

struct _WcIdentity
{
  GObject         parent_instance;

  WcIdentityKind  kind;
  char           *name;
  char           *color;
  GPtrArray      *markers;  /* WcMarker */
};

G_DEFINE_FINAL_TYPE (WcIdentity, wc_identity, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (WcMarker, wc_marker, wc_marker_copy, wc_marker_free)
G_DEFINE_QUARK (wc-identity-error-quark, wc_identity_error)

enum {
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *id;
  const char *label;
} marker_kinds[WC_N_MARKER_KINDS] = {
  [WC_MARKER_REAL_NAME]    = { "real-name",    N_("Real name") },
  [WC_MARKER_TITLE]        = { "title",        N_("Title") },
  [WC_MARKER_SPECIALTY]    = { "specialty",    N_("Specialty") },
  [WC_MARKER_ORGANISATION] = { "organisation", N_("Hospital or practice") },
  [WC_MARKER_DOMAIN]       = { "domain",       N_("Web domain") },
  [WC_MARKER_NICKNAME]     = { "nickname",     N_("Nickname") },
  [WC_MARKER_FAMILY_NAME]  = { "family-name",  N_("Family member") },
};

static const WcMarkerKind professional_kinds[] = {
  WC_MARKER_REAL_NAME,
  WC_MARKER_TITLE,
  WC_MARKER_SPECIALTY,
  WC_MARKER_ORGANISATION,
  WC_MARKER_DOMAIN,
};

static const WcMarkerKind personal_kinds[] = {
  WC_MARKER_NICKNAME,
  WC_MARKER_FAMILY_NAME,
  WC_MARKER_DOMAIN,
};

static gboolean
has_alnum (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
has_control (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* A domain marker may be typed as a URL; keep only the host. */
static char *
domain_from_input (const char *value)
{
  g_autofree char *lower = g_ascii_strdown (value, -1);
  const char *start = lower;
  const char *sep = strstr (lower, "://");
  g_autoptr(GString) host = g_string_new (NULL);

  if (sep != NULL)
    start = sep + 3;
  if (g_str_has_prefix (start, "www."))
    start += 4;
  for (const char *p = start; *p && *p != '/' && *p != '?' && *p != '#' && *p != ':'; p++)
    g_string_append_c (host, *p);

  return g_string_free (g_steal_pointer (&host), FALSE);
}

static gboolean
domain_is_valid (const char *domain)
{
  gboolean dot = FALSE;

  if (*domain == '\0' || *domain == '.' || *domain == '-')
    return FALSE;
  for (const char *p = domain; *p; p++)
    {
      if (*p == '.')
        {
          if (p[1] == '\0' || p[1] == '.')
            return FALSE;
          dot = TRUE;
        }
      else if (!g_ascii_isalnum (*p) && *p != '-' && !((guchar) *p & 0x80))
        return FALSE;
    }
  return dot;
}

/* Markers */

/**
 * wc_marker_new:
 * @kind: what the marker says about its identity
 * @value: the marker text; leading and trailing white space is dropped, and a
 *   domain typed as a URL keeps only its host
 *
 * Returns: (transfer full): a new marker
 */
WcMarker *
wc_marker_new (WcMarkerKind  kind,
               const char   *value)
{
  WcMarker *marker = g_new0 (WcMarker, 1);
  g_autofree char *stripped = g_strstrip (g_strdup (value ? value : ""));

  marker->kind = kind;
  if (kind == WC_MARKER_DOMAIN)
    marker->value = domain_from_input (stripped);
  else
    marker->value = g_steal_pointer (&stripped);

  return marker;
}

WcMarker *
wc_marker_copy (const WcMarker *marker)
{
  WcMarker *copy = g_new0 (WcMarker, 1);

  copy->kind = marker->kind;
  copy->value = g_strdup (marker->value);
  return copy;
}

void
wc_marker_free (WcMarker *marker)
{
  if (marker == NULL)
    return;
  g_free (marker->value);
  g_free (marker);
}

/**
 * wc_marker_validate:
 * @kind: the marker kind
 * @value: the text as the user typed it
 * @error: a #WC_IDENTITY_ERROR_MARKER error with a message for the field
 *
 * Returns: whether @value makes a usable marker of @kind
 */
gboolean
wc_marker_validate (WcMarkerKind  kind,
                    const char   *value,
                    GError      **error)
{
  g_autofree char *stripped = NULL;

  if ((guint) kind >= WC_N_MARKER_KINDS)
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                           _("Unknown kind of marker."));
      return FALSE;
    }

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                           _("The marker is not valid text."));
      return FALSE;
    }

  stripped = g_strstrip (g_strdup (value));
  if (*stripped == '\0')
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                           _("Type a word or name; a marker cannot be empty."));
      return FALSE;
    }

  if (!has_alnum (stripped))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                           _("A marker needs letters or digits; punctuation alone would match almost every post."));
      return FALSE;
    }

  if (g_utf8_strlen (stripped, -1) > MAX_MARKER_LENGTH)
    {
      g_set_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A marker can be at most %d character long.",
                                "A marker can be at most %d characters long.", MAX_MARKER_LENGTH),
                   MAX_MARKER_LENGTH);
      return FALSE;
    }

  if (has_control (stripped))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                           _("A marker must fit on one line."));
      return FALSE;
    }

  if (kind == WC_MARKER_DOMAIN)
    {
      g_autofree char *domain = domain_from_input (stripped);

      if (!domain_is_valid (domain))
        {
          g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                               _("Type a web domain such as “praktijkjansen.nl”."));
          return FALSE;
        }
    }

  return TRUE;
}

const char *
wc_marker_kind_to_string (WcMarkerKind kind)
{
  g_return_val_if_fail ((guint) kind < WC_N_MARKER_KINDS, NULL);
  return marker_kinds[kind].id;
}

gboolean
wc_marker_kind_from_string (const char   *str,
                            WcMarkerKind *kind)
{
  for (guint i = 0; i < WC_N_MARKER_KINDS; i++)
    {
      if (g_strcmp0 (str, marker_kinds[i].id) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * wc_marker_kind_get_label:
 *
 * Returns: the translated label of @kind
 */
const char *
wc_marker_kind_get_label (WcMarkerKind kind)
{
  g_return_val_if_fail ((guint) kind < WC_N_MARKER_KINDS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, marker_kinds[kind].label);
}

/**
 * wc_marker_kinds_for_identity:
 * @kind: an identity kind
 * @n_kinds: (out): the number of kinds returned
 *
 * Returns: (transfer none): the marker kinds that reveal an identity of @kind
 */
const WcMarkerKind *
wc_marker_kinds_for_identity (WcIdentityKind  kind,
                              guint          *n_kinds)
{
  if (kind == WC_IDENTITY_PROFESSIONAL)
    {
      *n_kinds = G_N_ELEMENTS (professional_kinds);
      return professional_kinds;
    }
  *n_kinds = G_N_ELEMENTS (personal_kinds);
  return personal_kinds;
}

/* Identity kinds */

const char *
wc_identity_kind_to_string (WcIdentityKind kind)
{
  return kind == WC_IDENTITY_PROFESSIONAL ? "professional" : "personal";
}

gboolean
wc_identity_kind_from_string (const char     *str,
                              WcIdentityKind *kind)
{
  if (g_strcmp0 (str, "professional") == 0)
    *kind = WC_IDENTITY_PROFESSIONAL;
  else if (g_strcmp0 (str, "personal") == 0)
    *kind = WC_IDENTITY_PERSONAL;
  else
    return FALSE;
  return TRUE;
}

/**
 * wc_identity_kind_get_label:
 *
 * Returns: "Professional" or "Personal", translated
 */
const char *
wc_identity_kind_get_label (WcIdentityKind kind)
{
  return kind == WC_IDENTITY_PROFESSIONAL ? _("Professional") : _("Personal");
}

const char *
wc_identity_kind_get_default_color (WcIdentityKind kind)
{
  /* GNOME palette: Blue 3 and Green 4 */
  return kind == WC_IDENTITY_PROFESSIONAL ? "#3584e4" : "#2ec27e";
}

WcIdentityKind
wc_identity_kind_other (WcIdentityKind kind)
{
  return kind == WC_IDENTITY_PROFESSIONAL ? WC_IDENTITY_PERSONAL : WC_IDENTITY_PROFESSIONAL;
}

/**
 * wc_color_is_valid:
 * @color: a colour as "#rrggbb"
 *
 * Returns: whether @color is a six-digit hexadecimal colour
 */
gboolean
wc_color_is_valid (const char *color)
{
  if (color == NULL || color[0] != '#' || strlen (color) != 7)
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

/* WcIdentity */

static void
wc_identity_finalize (GObject *object)
{
  WcIdentity *self = (WcIdentity *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->color, g_free);
  g_clear_pointer (&self->markers, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_identity_parent_class)->finalize (object);
}

static void
wc_identity_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WcIdentity *self = WC_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_identity_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WcIdentity *self = WC_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_NAME:
      wc_identity_set_name (self, g_value_get_string (value));
      break;
    case PROP_COLOR:
      wc_identity_set_color (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_identity_class_init (WcIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wc_identity_finalize;
  object_class->get_property = wc_identity_get_property;
  object_class->set_property = wc_identity_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       WC_TYPE_IDENTITY_KIND, WC_IDENTITY_PERSONAL,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wc_identity_init (WcIdentity *self)
{
  self->markers = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_marker_free);
}

/**
 * wc_identity_new:
 * @kind: personal or professional
 *
 * Returns: (transfer full): an identity with the default name and colour
 */
WcIdentity *
wc_identity_new (WcIdentityKind kind)
{
  return g_object_new (WC_TYPE_IDENTITY,
                       "kind", kind,
                       "name", wc_identity_kind_get_label (kind),
                       "color", wc_identity_kind_get_default_color (kind),
                       NULL);
}

WcIdentityKind
wc_identity_get_kind (WcIdentity *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY (self), WC_IDENTITY_PERSONAL);
  return self->kind;
}

const char *
wc_identity_get_name (WcIdentity *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY (self), NULL);
  return self->name;
}

void
wc_identity_set_name (WcIdentity *self,
                      const char *name)
{
  g_return_if_fail (WC_IS_IDENTITY (self));

  if (wc_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wc_identity_get_color (WcIdentity *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY (self), NULL);
  return self->color;
}

void
wc_identity_set_color (WcIdentity *self,
                       const char *color)
{
  g_return_if_fail (WC_IS_IDENTITY (self));

  if (wc_set_str (&self->color, color))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

/**
 * wc_identity_get_markers:
 *
 * Returns: (transfer none) (element-type WcMarker): the markers
 */
GPtrArray *
wc_identity_get_markers (WcIdentity *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY (self), NULL);
  return self->markers;
}

/**
 * wc_identity_set_markers:
 * @markers: (element-type WcMarker): the markers; they are copied
 */
void
wc_identity_set_markers (WcIdentity *self,
                         GPtrArray  *markers)
{
  g_return_if_fail (WC_IS_IDENTITY (self));

  g_ptr_array_set_size (self->markers, 0);
  for (guint i = 0; markers != NULL && i < markers->len; i++)
    g_ptr_array_add (self->markers, wc_marker_copy (g_ptr_array_index (markers, i)));
}

void
wc_identity_add_marker (WcIdentity   *self,
                        WcMarkerKind  kind,
                        const char   *value)
{
  g_return_if_fail (WC_IS_IDENTITY (self));
  g_ptr_array_add (self->markers, wc_marker_new (kind, value));
}

/**
 * wc_identity_dup_marker_values:
 *
 * Returns: (transfer full): the values of the markers of @kind
 */
char **
wc_identity_dup_marker_values (WcIdentity   *self,
                               WcMarkerKind  kind)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (WC_IS_IDENTITY (self), NULL);

  for (guint i = 0; i < self->markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (self->markers, i);

      if (marker->kind == kind)
        g_strv_builder_add (builder, marker->value);
    }
  return g_strv_builder_end (builder);
}

/**
 * wc_identity_validate:
 * @error: a #WC_IDENTITY_ERROR naming the field at fault
 *
 * Returns: whether the identity can be saved as it is
 */
gboolean
wc_identity_validate (WcIdentity  *self,
                      GError     **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (WC_IS_IDENTITY (self), FALSE);

  name = g_strstrip (g_strdup (self->name ? self->name : ""));
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || !has_alnum (name))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME,
                           _("Give the identity a name, such as “Dr. Anna Jansen” or “Anna”."));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    {
      g_set_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The name can be at most %d character long.",
                                "The name can be at most %d characters long.", MAX_NAME_LENGTH),
                   MAX_NAME_LENGTH);
      return FALSE;
    }
  if (has_control (name))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME,
                           _("The name must fit on one line."));
      return FALSE;
    }
  if (!wc_color_is_valid (self->color))
    {
      g_set_error_literal (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_COLOR,
                           _("Choose a colour for the identity."));
      return FALSE;
    }
  for (guint i = 0; i < self->markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (self->markers, i);

      if (!wc_marker_validate (marker->kind, marker->value, error))
        return FALSE;
    }
  return TRUE;
}
