/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixing cross-link findings through the API, under Xvfb, with a real
 * store, the real keyring and the Mastodon test server: the audit reads the
 * own bio; "Fix…" shows the change and sends nothing when cancelled;
 * confirmed, it removes a linking field and a link and a name from the bio
 * on the server (read back), the findings disappear after the re-audit,
 * and the audit log records each change. */
#include "config.h"

#include "wc-crosslink-audit.h"
#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-privacy-view.h"
#include "wc-test-ui.h"
#include "wc-window.h"

#define BIO "Gardener and cyclist.\nFriend of Anna Jansen, see https://praktijkjansen.example/team for more"

static gboolean have_keyring;

typedef struct
{
  WcApplication    *app;
  WcStore          *store;
  WcWindow         *window;
  WcPrivacyView    *view;
  WcMastodonServer *server;
  char             *base;
  WcAccount        *personal;
  WcAccount        *professional;
} Fixture;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static WcAccount *
add_account (Fixture        *f,
             WcIdentityKind  identity,
             const char     *handle,
             const char     *username)
{
  WcAccount *account = wc_account_new (identity, "mastodon");
  g_autofree char *token = wc_mastodon_server_create_token (f->server, username, WC_MASTODON_SCOPES);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;

  wc_account_set_handle (account, handle);
  wc_account_set_server (account, f->base);
  wc_account_set_connected_at (account, 1780000000);
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  wc_keyring_store_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN, "Whitecoat test token", token,
                          NULL, store_result, &stored);
  g_assert_true (wc_keyring_store_finish (await (&stored), &error));
  g_assert_no_error (error);
  return account;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const fields[] = { "Work", "https://praktijkjansen.example", "Garden", "Roses and beans",
                                         NULL };
  WcMastodonUser annie = { 0 };
  WcMastodonUser jansen = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WcIdentity) professional = NULL;

  if (!have_keyring)
    return;
  f->server = wc_mastodon_server_new ();
  annie.username = "annie";
  annie.display_name = "Annie B";
  annie.note = BIO;
  annie.privacy = "public";
  annie.fields = fields;
  g_free (wc_mastodon_server_add_user_full (f->server, &annie));
  jansen.username = "jansen";
  jansen.display_name = "Dr. A. Jansen";
  jansen.privacy = "public";
  g_free (wc_mastodon_server_add_user_full (f->server, &jansen));
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);

  f->app = wc_test_ui_create_app ();
  f->store = wc_application_get_store (f->app);
  professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  wc_identity_set_name (professional, "Dr. Anna Jansen");
  wc_identity_add_marker (professional, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (professional, WC_MARKER_DOMAIN, "praktijkjansen.example");
  g_assert_true (wc_store_save_identity (f->store, professional, &error));
  g_assert_no_error (error);

  f->personal = add_account (f, WC_IDENTITY_PERSONAL, "@annie@127.0.0.1", "annie");
  f->professional = add_account (f, WC_IDENTITY_PROFESSIONAL, "@jansen@127.0.0.1", "jansen");

  f->window = wc_window_new (f->app);
  if (g_getenv ("WC_TEST_SHOT") != NULL)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
    }
  f->view = WC_PRIVACY_VIEW (wc_window_get_privacy_view (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (f->window), "privacy");
  wc_test_ui_iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_keyring)
    return;
  wc_test_ui_destroy_toplevels ();
  g_clear_object (&f->personal);
  g_clear_object (&f->professional);
  g_clear_object (&f->app);
  wc_mastodon_server_stop (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
}

static void
wait_until (WcPrivacyView *view,
            gboolean       (*done) (WcPrivacyView *view))
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (view) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (view));
  wc_test_ui_iterate ();
}

static gboolean
checked (WcPrivacyView *view)
{
  return !wc_privacy_view_get_checking (view);
}

static gboolean
dialog_shown (WcPrivacyView *view)
{
  return wc_privacy_view_get_fix_dialog (view) != NULL || !wc_privacy_view_get_fixing (view);
}

static gboolean
fixed (WcPrivacyView *view)
{
  return !wc_privacy_view_get_fixing (view);
}

/* The index of the finding on @account in @where whose evidence holds
 * @evidence, or -1. */
static int
find (Fixture    *f,
      WcAccount  *account,
      const char *where,
      const char *evidence)
{
  GPtrArray *findings = wc_privacy_view_get_findings (f->view);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      WcCrosslinkFinding *finding = g_ptr_array_index (findings, i);

      if (finding->account_id == wc_account_get_id (account) && g_strcmp0 (finding->where, where) == 0
          && strstr (finding->evidence, evidence) != NULL)
        return i;
    }
  return -1;
}

static JsonObject *
server_source (Fixture *f)
{
  g_autoptr(JsonObject) account = wc_mastodon_server_dup_account (f->server, "annie");

  return json_object_ref (json_object_get_object_member (account, "source"));
}

static gboolean
has_field (Fixture    *f,
           const char *name)
{
  g_autoptr(JsonObject) source = server_source (f);
  JsonArray *fields = json_object_get_array_member (source, "fields");

  for (guint i = 0; i < json_array_get_length (fields); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (fields, i), "name"), name) == 0)
      return TRUE;
  return FALSE;
}

static char *
server_note (Fixture *f)
{
  g_autoptr(JsonObject) source = server_source (f);

  return g_strdup (json_object_get_string_member (source, "note"));
}

static guint
patches (Fixture *f)
{
  return wc_mastodon_server_count_requests (f->server, "PATCH", "/api/v1/accounts/update_credentials");
}

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Fix… on finding @index; the confirmation, answered with @response. */
static void
fix (Fixture    *f,
     int         index,
     const char *response,
     const char *shot)
{
  AdwMessageDialog *dialog;

  g_assert_cmpint (index, >=, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "privacy.fix-finding", "u", (guint32) index));
  wait_until (f->view, dialog_shown);
  dialog = wc_privacy_view_get_fix_dialog (f->view);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  if (shot != NULL)
    {
      wc_test_ui_wait (300);
      save_png (GTK_WIDGET (dialog), shot);
    }
  adw_message_dialog_response (dialog, response);
  wait_until (f->view, fixed);
  g_assert_null (wc_privacy_view_get_fix_dialog (f->view));
}

static guint
count_profile_audit (Fixture *f)
{
  g_autoptr(GPtrArray) entries = wc_store_list_audit (f->store, NULL);
  guint n = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->kind, "profile") == 0 && entry->account_id == wc_account_get_id (f->personal))
        n++;
    }
  return n;
}

static void
test_fix (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *note = NULL;
  g_autofree char *field_where = g_strdup_printf ("field “%s”", "Work");

  if (!have_keyring)
    {
      g_test_skip ("no keyring");
      return;
    }

  wc_privacy_view_check_now (f->view);
  wait_until (f->view, checked);

  /* The own bio is audited: the professional name and the practice's
   * site in the personal bio; the practice's site in a field. */
  g_assert_cmpint (find (f, f->personal, "bio", "Anna Jansen"), >=, 0);
  g_assert_cmpint (find (f, f->personal, "bio", "praktijkjansen.example/team"), >=, 0);
  g_assert_cmpint (find (f, f->personal, field_where, "praktijkjansen.example"), >=, 0);

  /* Cancelled: nothing is sent, nothing changes. */
  fix (f, find (f, f->personal, field_where, "praktijkjansen.example"), "cancel", g_getenv ("WC_TEST_SHOT"));
  g_assert_cmpuint (patches (f), ==, 0);
  g_assert_true (has_field (f, "Work"));
  g_assert_cmpuint (count_profile_audit (f), ==, 0);
  g_assert_cmpint (find (f, f->personal, field_where, "praktijkjansen.example"), >=, 0);

  /* Removed: the field is gone on the server, the other one stays, the
   * finding is gone after the re-audit, and the log says so. */
  fix (f, find (f, f->personal, field_where, "praktijkjansen.example"), "remove", NULL);
  g_assert_cmpuint (patches (f), ==, 1);
  g_assert_false (has_field (f, "Work"));
  g_assert_true (has_field (f, "Garden"));
  g_assert_cmpint (find (f, f->personal, field_where, "praktijkjansen.example"), <, 0);
  g_assert_cmpuint (count_profile_audit (f), ==, 1);

  /* The link in the bio, then the name. */
  fix (f, find (f, f->personal, "bio", "praktijkjansen.example/team"), "remove", NULL);
  note = server_note (f);
  g_assert_null (strstr (note, "praktijkjansen"));
  g_assert_nonnull (strstr (note, "Anna Jansen"));
  g_assert_cmpint (find (f, f->personal, "bio", "praktijkjansen.example/team"), <, 0);
  g_clear_pointer (&note, g_free);

  fix (f, find (f, f->personal, "bio", "Anna Jansen"), "remove", NULL);
  note = server_note (f);
  g_assert_cmpstr (note, ==, "Gardener and cyclist.\nFriend of, see for more");
  g_assert_cmpint (find (f, f->personal, "bio", "Anna Jansen"), <, 0);
  g_assert_cmpuint (patches (f), ==, 3);
  g_assert_cmpuint (count_profile_audit (f), ==, 3);
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-4, "probe", "probe", "probe", NULL, store_result, &stored);
  if (!wc_keyring_store_finish (await (&stored), NULL))
    return FALSE;
  wc_keyring_clear_async (-4, "probe", NULL, store_result, &cleared);
  return wc_keyring_clear_finish (await (&cleared), NULL);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  g_test_add ("/ui-crosslink-fix/fix", Fixture, NULL, fixture_setup, test_fix, fixture_teardown);

  have_keyring = probe_keyring ();
  return g_test_run ();
}
