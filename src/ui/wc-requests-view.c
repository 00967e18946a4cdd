/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-requests"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-follower-sync.h"
#include "wc-mastodon.h"
#include "wc-network-catalog.h"
#include "wc-requests-view.h"
#include "wc-store-connect.h"
#include "wc-store-requests.h"
#include "wc-util.h"
#include "wc-window.h"

/* Pages of 80 requests read per account and check; more wait for the next. */
#define MAX_REQUEST_PAGES 5
/* Followers reviewed per account: 25 pages (of 80 on Mastodon, 100 on Bluesky). */
#define MAX_REVIEW_PAGES 25
/* A professional account's followers are read again when older than this. */
#define SNAPSHOT_MAX_AGE (24 * 3600)
/* New Bluesky followers are listed for this long unless answered. */
#define NEW_FOLLOWER_MAX_AGE (30 * 24 * 3600)
/* The first check waits this long after the first frame. */
#define FIRST_POLL_DELAY_SECONDS 3

/* One person who asks to follow an account, or who follows it. A new
 * follower of a personal Bluesky account (Bluesky has no requests) is one
 * too: @bluesky is set instead of @mastodon, @who->id is their DID and
 * @who->acct their handle, and the answers are block, mute and tags; so
 * is a follower of a personal Bluesky account in the review. */
typedef struct
{
  WcAccount         *account;
  WcMastodon        *mastodon;  /* nullable */
  WcBluesky         *bluesky;   /* nullable */
  WcMastodonAccount *who;
  WcScreening       *screening;
  gboolean           personal;
} Request;

struct _WcRequestsView
{
  AdwBin           parent_instance;

  /* template */
  GtkRevealer     *banner_revealer;
  GtkLabel        *banner_label;
  GtkLabel        *status_label;
  GtkListBox      *requests_list;
  AdwComboRow     *network_row;
  AdwEntryRow     *typed_row;
  GtkBox          *manual_result_box;
  GtkLabel        *review_status_label;
  GtkListBox      *review_list;

  WcApplication   *application;
  GCancellable    *cancellable;
  GPtrArray       *requests;        /* Request, as listed */
  GPtrArray       *collecting;      /* Request, while a refresh runs */
  GPtrArray       *review;          /* Request: followers that may be patients */
  GPtrArray       *reviewing;
  GPtrArray       *errors;          /* strings, while a refresh runs */
  GPtrArray       *manual_networks; /* WcNetworkInfo */
  WcScreening     *manual_screening;
  char            *manual_network;  /* its name */
  GHashTable      *notified;        /* "account-id:request-id" warned about: the store's
                                     * follow_requests, cached (and alone if it fails) */
  GHashTable      *answered_keys;   /* answered while a refresh ran: not to list again */
  guint            pending;         /* open calls of a refresh */
  guint            snapshots_pending;
  guint            review_pending;
  guint            answering;
  guint            n_notifications;
  guint            poll_source;
  guint            first_poll_source;
  guint            first_tick;
  GtkWidget       *tick_root;       /* weak: where first_tick is */
  gulong           map_handler;
  gboolean         polling;
  gboolean         polling_started;  /* the first check after startup ran */
  gboolean         refresh_again;
};

G_DEFINE_FINAL_TYPE (WcRequestsView, wc_requests_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild_requests (WcRequestsView *self);
static void rebuild_review   (WcRequestsView *self);
static void update_polling   (WcRequestsView *self);

/* Requests */

static Request *
request_new (WcAccount         *account,
             gpointer           network,
             WcMastodonAccount *who)
{
  Request *request = g_rc_box_new0 (Request);

  request->account = g_object_ref (account);
  if (WC_IS_BLUESKY (network))
    request->bluesky = g_object_ref (network);
  else
    request->mastodon = g_object_ref (network);
  request->who = who;
  request->personal = wc_account_get_identity (account) == WC_IDENTITY_PERSONAL;
  return request;
}

static void
request_clear (Request *request)
{
  g_clear_object (&request->account);
  g_clear_object (&request->mastodon);
  g_clear_object (&request->bluesky);
  g_clear_pointer (&request->who, wc_mastodon_account_free);
  g_clear_pointer (&request->screening, wc_screening_unref);
}

static void
request_unref (Request *request)
{
  g_rc_box_release_full (request, (GDestroyNotify) request_clear);
}

static Request *
request_ref (Request *request)
{
  return g_rc_box_acquire (request);
}

static char *
request_key (Request *request)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%s", wc_account_get_id (request->account), request->who->id);
}

static GPtrArray *
new_request_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) request_unref);
}

/* Helpers */

static WcStore *
get_store (WcRequestsView *self)
{
  return self->application != NULL ? wc_application_get_store (self->application) : NULL;
}

static gboolean
is_busy (WcRequestsView *self)
{
  return self->pending > 0 || self->snapshots_pending > 0 || self->review_pending > 0 || self->answering > 0;
}

static void
notify_busy (WcRequestsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.refresh",
                                 self->pending == 0 && self->snapshots_pending == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.review", self->review_pending == 0);
}

static void
show_toast (WcRequestsView *self,
            const char     *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), WC_TYPE_WINDOW);

  if (window != NULL)
    wc_window_add_toast (WC_WINDOW (window), adw_toast_new (text));
  else
    g_debug ("Toast without a window: %s", text);
}

static const char *
network_name (WcAccount *account)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (account));

  return info != NULL ? wc_network_info_get_name (info) : wc_account_get_network (account);
}

/* A Mastodon account Whitecoat is signed in to: sign-in sets connected_at,
 * and a refused token clears it. */
static gboolean
can_have_requests (WcAccount *account)
{
  return g_strcmp0 (wc_account_get_network (account), "mastodon") == 0
         && wc_account_get_connected_at (account) > 0;
}

/* A personal Bluesky account Whitecoat is signed in to: its new followers
 * (listNotifications, reason follow) are screened as requests would be. */
static gboolean
can_have_new_followers (WcAccount *account)
{
  return g_strcmp0 (wc_account_get_network (account), "bluesky") == 0
         && wc_account_get_identity (account) == WC_IDENTITY_PERSONAL
         && wc_account_get_connected_at (account) > 0;
}

static gboolean
is_polled (WcAccount *account)
{
  return can_have_requests (account) || can_have_new_followers (account);
}

static WcMastodonAccount *
who_from_actor (WcBlueskyActor *actor)
{
  WcMastodonAccount *who = g_new0 (WcMastodonAccount, 1);

  who->id = g_strdup (actor->did);
  who->acct = g_strdup (actor->handle);
  who->display_name = g_strdup (actor->display_name);
  who->note = g_strdup (actor->description);
  who->statuses_count = -1;
  who->followers_count = -1;
  who->following_count = -1;
  return who;
}

static void
fill_subject (WcScreeningSubject *subject,
              WcMastodonAccount  *who,
              GPtrArray          *fields)
{
  subject->display_name = who->display_name != NULL && *who->display_name != '\0' ? who->display_name : NULL;
  subject->handle = who->acct;
  subject->note = who->note;
  subject->created_at = who->created_at;
  subject->statuses_count = who->statuses_count;
  subject->followers_count = who->followers_count;
  for (guint i = 0; who->fields != NULL && i < who->fields->len; i++)
    {
      WcMastodonField *field = g_ptr_array_index (who->fields, i);

      g_ptr_array_add (fields, field->name);
      g_ptr_array_add (fields, field->value);
    }
  g_ptr_array_add (fields, NULL);
  subject->fields = (const char * const *) fields->pdata;
}

static WcScreener *
load_screener (WcRequestsView *self)
{
  WcStore *store = get_store (self);
  WcHasher *hasher = self->application != NULL ? wc_application_get_hasher (self->application) : NULL;
  g_autoptr(GError) error = NULL;
  WcScreener *screener = NULL;

  if (store != NULL)
    screener = wc_screener_new_from_store (store, hasher, &error);
  if (screener == NULL)
    {
      g_debug ("Screening without the store: %s", error != NULL ? error->message : "no store");
      screener = wc_screener_new (hasher);
    }
  return screener;
}

static void
screen_all (WcRequestsView *self,
            GPtrArray      *requests)
{
  g_autoptr(WcScreener) screener = NULL;

  if (requests == NULL || requests->len == 0)
    return;
  screener = load_screener (self);
  for (guint i = 0; i < requests->len; i++)
    {
      Request *request = g_ptr_array_index (requests, i);
      WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      fill_subject (&subject, request->who, fields);
      g_clear_pointer (&request->screening, wc_screening_unref);
      request->screening = wc_screener_screen (screener, &subject);
    }
}

static gint
compare_requests (gconstpointer a,
                  gconstpointer b)
{
  const Request *x = *(Request * const *) a;
  const Request *y = *(Request * const *) b;

  if (x->personal != y->personal)
    return x->personal ? -1 : 1;
  /* Then the likeliest patients first. */
  if (wc_screening_get_verdict (x->screening) != wc_screening_get_verdict (y->screening))
    return (int) wc_screening_get_verdict (y->screening) - (int) wc_screening_get_verdict (x->screening);
  return 0;
}

static char *
dup_professional_pointer (WcRequestsView *self)
{
  WcStore *store = get_store (self);
  g_autoptr(GPtrArray) accounts = store != NULL ? wc_store_list_accounts (store, WC_IDENTITY_PROFESSIONAL, NULL) : NULL;

  for (guint pass = 0; accounts != NULL && pass < 2; pass++)
    for (guint i = 0; i < accounts->len; i++)
      {
        WcAccount *account = g_ptr_array_index (accounts, i);

        /* A Mastodon account first: the message is sent on Mastodon. */
        if (pass == 0 && !can_have_requests (account))
          continue;
        if (wc_account_get_profile_url (account) != NULL && pass == 1)
          return g_strdup (wc_account_get_profile_url (account));
        return wc_account_dup_title (account);
      }
  if (self->application != NULL)
    return wc_application_dup_identity_name (self->application, WC_IDENTITY_PROFESSIONAL);
  return g_strdup (_("my professional account"));
}

/* The banner and the notification (rule R2) */

static guint
count_personal_patients (WcRequestsView *self)
{
  guint n = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);

      if (request->personal && wc_screening_get_verdict (request->screening) == WC_SCREENING_LOOKS_LIKE)
        n++;
    }
  return n;
}

static void
update_banner (WcRequestsView *self)
{
  guint n = count_personal_patients (self);

  if (n > 0)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("%u request to a personal account looks like it comes from a patient. "
                                   "Rule R2: do not accept patients on personal accounts — decline, and point "
                                   "them to your professional account (BMA, KNMG rec. 3, GMC, FSMB).",
                                   "%u requests to personal accounts look like they come from patients. "
                                   "Rule R2: do not accept patients on personal accounts — decline, and point "
                                   "them to your professional account (BMA, KNMG rec. 3, GMC, FSMB).",
                                   n),
                         n);

      gtk_label_set_text (self->banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, n > 0);
}

/* Whether no warning was raised about @request before, recording that
 * one is raised now. When the store cannot tell, the warning is raised:
 * better twice than never. */
static gboolean
claim_notification (WcRequestsView *self,
                    Request        *request)
{
  WcStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  gboolean first = TRUE;

  if (store == NULL)
    return TRUE;
  if (!wc_store_mark_follow_request_notified (store, wc_account_get_id (request->account), request->who->id,
                                              &first, &error))
    {
      g_debug ("Cannot record the warning about a request: %s", error->message);
      return TRUE;
    }
  return first;
}

/* Remembers, by the requesters' ids on the server, which requests were
 * seen, one transaction per account. */
static void
note_requests (WcRequestsView *self,
               GPtrArray      *requests)
{
  WcStore *store = get_store (self);
  g_autoptr(GHashTable) by_account = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (store == NULL || requests->len == 0)
    return;
  by_account = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < requests->len; i++)
    {
      Request *request = g_ptr_array_index (requests, i);
      gint64 id = wc_account_get_id (request->account);
      GPtrArray *ids = g_hash_table_lookup (by_account, &id);

      if (request->who->id == NULL || *request->who->id == '\0')
        continue;
      if (ids == NULL)
        {
          ids = g_ptr_array_new ();
          g_hash_table_insert (by_account, g_memdup2 (&id, sizeof id), ids);
        }
      g_ptr_array_add (ids, request->who->id);
    }
  g_hash_table_iter_init (&iter, by_account);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *ids = value;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (ids, NULL);
      if (!wc_store_note_follow_requests (store, *(gint64 *) key, (const char * const *) ids->pdata, &error))
        g_debug ("Cannot record the requests seen: %s", error->message);
    }
}

static void
send_notifications (WcRequestsView *self)
{
  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);
      g_autofree char *key = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autoptr(GNotification) notification = NULL;

      if (!request->personal || wc_screening_get_verdict (request->screening) != WC_SCREENING_LOOKS_LIKE)
        continue;
      key = request_key (request);
      if (g_hash_table_contains (self->notified, key))
        continue;
      g_hash_table_add (self->notified, g_steal_pointer (&key));
      /* Once per request, ever: not again after a restart. */
      if (!claim_notification (self, request))
        continue;

      /* The notification may show on a locked screen: it names the
       * doctor's account, never the person who asks. */
      title = wc_account_dup_title (request->account);
      if (request->bluesky != NULL)
        /* Translators: %s is the doctor's personal account */
        body = g_strdup_printf (_("Someone who looks like a patient started following %s. Rule R2: keep patients "
                                  "off personal accounts. Nothing was answered."),
                                title);
      else
        /* Translators: %s is the doctor's personal account */
        body = g_strdup_printf (_("Someone who looks like a patient asks to follow %s. Rule R2: do not accept "
                                  "patients on personal accounts. Nothing was answered."),
                                title);
      notification = g_notification_new (_("A Patient May Want to Follow Your Personal Account"));
      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      /* A click opens the Requests page. */
      g_notification_set_default_action_and_target (notification, "app.show-view", "s", "requests");
      if (self->application != NULL && g_application_get_is_registered (G_APPLICATION (self->application)))
        wc_application_send_notification (self->application, "patient-request", notification);
      self->n_notifications++;
    }
}

/* Rows */

static const char *
verdict_icon (WcScreeningVerdict verdict)
{
  switch (verdict)
    {
    case WC_SCREENING_LOOKS_LIKE:
      return "dialog-warning-symbolic";
    case WC_SCREENING_MAY_BE:
      return "dialog-question-symbolic";
    case WC_SCREENING_NO_SIGN:
    default:
      return "emblem-ok-symbolic";
    }
}

static const char *
verdict_class (WcScreeningVerdict verdict)
{
  switch (verdict)
    {
    case WC_SCREENING_LOOKS_LIKE:
      return "error";
    case WC_SCREENING_MAY_BE:
      return "warning";
    case WC_SCREENING_NO_SIGN:
    default:
      return "success";
    }
}

static GtkWidget *
verdict_label (WcScreening *screening)
{
  WcScreeningVerdict verdict = wc_screening_get_verdict (screening);
  GtkWidget *label = gtk_label_new (wc_screening_verdict_get_label (verdict));

  gtk_widget_add_css_class (label, verdict_class (verdict));
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
  /* One line where there is room; wrapped on a phone. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static GtkWidget *
verdict_image (WcScreening *screening)
{
  WcScreeningVerdict verdict = wc_screening_get_verdict (screening);
  GtkWidget *image = gtk_image_new_from_icon_name (verdict_icon (verdict));

  gtk_widget_add_css_class (image, verdict_class (verdict));
  return image;
}

static GtkWidget *
signal_row (WcScreeningSignal *signal)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped = g_markup_escape_text (signal->reason, -1);
  const char *strength;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  switch (signal->strength)
    {
    case WC_SIGNAL_STRENGTH_STRONG:
      strength = _("Strong sign");
      break;
    case WC_SIGNAL_STRENGTH_MEDIUM:
      strength = _("Sign");
      break;
    case WC_SIGNAL_STRENGTH_WEAK:
      strength = _("Weak sign");
      break;
    case WC_SIGNAL_STRENGTH_CLEAR:
    default:
      strength = _("Your answer");
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), strength);
  return row;
}

typedef struct
{
  WcRequestsView  *self;
  Request         *request;
  WcRequestAnswer  answer;
  gboolean         review;
} Click;

static void
click_free (gpointer  data,
            GClosure *closure)
{
  Click *click = data;

  request_unref (click->request);
  g_free (click);
}

static guint
find_request (GPtrArray *array,
              Request   *request)
{
  guint index = G_MAXUINT;

  if (!g_ptr_array_find (array, request, &index))
    return G_MAXUINT;
  return index;
}

static void answer_request (WcRequestsView  *self,
                            Request         *request,
                            WcRequestAnswer  answer,
                            const char      *message,
                            gboolean         review);
static GtkWindow *open_point_dialog (WcRequestsView *self,
                                     Request        *request);

static void
on_accept_confirmed (AdwMessageDialog *dialog,
                     const char       *response,
                     Click            *click)
{
  if (g_strcmp0 (response, "accept") == 0)
    answer_request (click->self, click->request, WC_REQUEST_ANSWER_ACCEPT, NULL, FALSE);
}

static void
confirm_accept (WcRequestsView *self,
                Request        *request)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  Click *click;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Accept a Possible Patient?"),
                                   _("This request to your personal account may come from a patient. Rule R2 asks "
                                     "doctors not to accept patients on personal accounts, and to point them to the "
                                     "professional presence instead (BMA, KNMG rec. 3, GMC, FSMB)."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "accept", _("_Accept Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  click = g_new0 (Click, 1);
  click->self = self;
  click->request = request_ref (request);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_accept_confirmed), click, click_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_answer_clicked (GtkButton *button,
                   Click     *click)
{
  WcRequestsView *self = click->self;
  Request *request = click->request;

  if (click->answer == WC_REQUEST_ANSWER_DECLINE_AND_POINT)
    open_point_dialog (self, request);
  else if (click->answer == WC_REQUEST_ANSWER_ACCEPT && request->personal
           && wc_screening_get_verdict (request->screening) != WC_SCREENING_NO_SIGN)
    confirm_accept (self, request);
  else
    answer_request (self, request, click->answer, NULL, click->review);
}

static GtkWidget *
answer_button (WcRequestsView  *self,
               Request         *request,
               WcRequestAnswer  answer,
               const char      *label,
               const char      *style,
               gboolean         review)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  Click *click = g_new0 (Click, 1);

  click->self = self;
  click->request = request_ref (request);
  click->answer = answer;
  click->review = review;
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_answer_clicked), click, click_free, 0);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

static GtkWidget *
buttons_row (GtkWidget **buttons,
             guint       n)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 6);
  gtk_widget_set_margin_top (flow, 8);
  gtk_widget_set_margin_bottom (flow, 8);
  gtk_widget_set_margin_start (flow, 8);
  gtk_widget_set_margin_end (flow, 8);
  for (guint i = 0; i < n; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (flow), buttons[i]);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), flow);
  return row;
}

static GtkWidget *
person_row (WcRequestsView *self,
            Request        *request,
            gboolean        review)
{
  GtkWidget *row = adw_expander_row_new ();
  const char *name = request->who->display_name != NULL && *request->who->display_name != '\0'
                     ? request->who->display_name : request->who->acct;
  g_autofree char *escaped_name = g_markup_escape_text (name != NULL ? name : "", -1);
  g_autofree char *title = wc_account_dup_title (request->account);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_subtitle = NULL;
  GPtrArray *signals = wc_screening_get_signals (request->screening);
  WcScreeningVerdict verdict = wc_screening_get_verdict (request->screening);
  GtkWidget *buttons[6];
  guint n = 0;

  if (review)
    /* Translators: under a follower's name; the first %s is their handle,
     * the second the doctor's account */
    subtitle = g_strdup_printf (_("@%s follows %s"), request->who->acct, title);
  else if (request->bluesky != NULL)
    /* Translators: under a new follower's name (Bluesky has no follow
     * requests); the first %s is their handle, the second the doctor's
     * account, the third "Personal" or "Professional" */
    subtitle = g_strdup_printf (_("@%s started following %s (%s)"), request->who->acct, title,
                                wc_identity_kind_get_label (wc_account_get_identity (request->account)));
  else
    /* Translators: under a requester's name; the first %s is their handle,
     * the second the doctor's account, the third "Personal" or "Professional" */
    subtitle = g_strdup_printf (_("@%s asks to follow %s (%s)"), request->who->acct, title,
                                wc_identity_kind_get_label (wc_account_get_identity (request->account)));
  escaped_subtitle = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped_subtitle);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), verdict_image (request->screening));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), verdict_label (request->screening));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), verdict == WC_SCREENING_LOOKS_LIKE);

  for (guint i = 0; i < signals->len; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), signal_row (g_ptr_array_index (signals, i)));
  if (signals->len == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("Nothing links this person to your patients or your work."));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (none), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), none);
    }

  if (review && request->bluesky != NULL)
    {
      GtkWidget *note = adw_action_row_new ();

      /* Bluesky has no way to make someone stop following: say what block
       * and mute do instead of offering what cannot be done. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (note), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note),
                                     _("Bluesky cannot remove a follower. Blocking comes closest: while signed "
                                       "in, they can no longer see or answer your posts. Muting only hides them "
                                       "from you; they still follow."));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (note), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (note), gtk_image_new_from_icon_name ("dialog-information-symbolic"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), note);

      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_BLOCK, _("_Block"),
                                    verdict == WC_SCREENING_LOOKS_LIKE ? "destructive-action" : NULL, TRUE);
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_MUTE, _("_Mute"), NULL, TRUE);
    }
  else if (review)
    {
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_REMOVE_FOLLOWER, _("_Remove from Followers"),
                                    "destructive-action", TRUE);
    }
  else if (request->bluesky != NULL)
    {
      gboolean warn = request->personal && verdict != WC_SCREENING_NO_SIGN;

      /* Nothing to accept or decline: they already follow. */
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_BLOCK, _("_Block"),
                                    warn ? "suggested-action" : NULL, FALSE);
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_MUTE, _("_Mute"), NULL, FALSE);
    }
  else
    {
      gboolean warn = request->personal && verdict != WC_SCREENING_NO_SIGN;

      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_DECLINE_AND_POINT,
                                    _("Decline and _Point…"), warn ? "suggested-action" : NULL, FALSE);
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_DECLINE, _("_Decline"), NULL, FALSE);
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_ACCEPT, _("_Accept"),
                                    warn ? NULL : "suggested-action", FALSE);
      buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_BLOCK, _("_Block"), NULL, FALSE);
    }
  buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_TAG_PATIENT, _("Tag as Pa_tient"), NULL, review);
  buttons[n++] = answer_button (self, request, WC_REQUEST_ANSWER_TAG_NOT_PATIENT, _("_Not a Patient"), NULL, review);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), buttons_row (buttons, n));
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rebuild_requests (WcRequestsView *self)
{
  clear_list (self->requests_list);
  for (guint i = 0; i < self->requests->len; i++)
    gtk_list_box_append (self->requests_list, person_row (self, g_ptr_array_index (self->requests, i), FALSE));
  gtk_widget_set_visible (GTK_WIDGET (self->requests_list), self->requests->len > 0);
  update_banner (self);
}

static void
rebuild_review (WcRequestsView *self)
{
  clear_list (self->review_list);
  for (guint i = 0; i < self->review->len; i++)
    gtk_list_box_append (self->review_list, person_row (self, g_ptr_array_index (self->review, i), TRUE));
  gtk_widget_set_visible (GTK_WIDGET (self->review_list), self->review->len > 0);
}

static void
set_status (WcRequestsView *self,
            const char     *text)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
}

/* Refreshing: requests of every account, then the professional accounts'
 * followers when they are old, then the screening. */

typedef struct
{
  WcRequestsView *self;
  WcAccount      *account;
  WcMastodon     *mastodon;
  WcBluesky      *bluesky;
  guint           pages;
  gboolean        review;
  char           *own_id;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_clear_object (&fetch->account);
  g_clear_object (&fetch->mastodon);
  g_clear_object (&fetch->bluesky);
  g_free (fetch->own_id);
  g_free (fetch);
}

static Fetch *
fetch_new (WcRequestsView *self,
           WcAccount      *account)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->account = g_object_ref (account);
  return fetch;
}

static void
add_account_error (WcRequestsView *self,
                   WcAccount      *account,
                   const GError   *error)
{
  g_autofree char *title = wc_account_dup_title (account);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: the first %s is an account, the second what went wrong */
  g_ptr_array_add (self->errors, g_strdup_printf (_("%s: %s"), title, error->message));
}

static void
finish_refresh (WcRequestsView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%X");
  g_autoptr(GString) status = g_string_new (NULL);

  /* The view went away while the calls ran. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* A request answered while the list was read may still be on it. */
  for (guint i = self->collecting->len; i > 0; i--)
    {
      g_autofree char *key = request_key (g_ptr_array_index (self->collecting, i - 1));

      if (g_hash_table_contains (self->answered_keys, key))
        g_ptr_array_remove_index (self->collecting, i - 1);
    }
  g_hash_table_remove_all (self->answered_keys);
  screen_all (self, self->collecting);
  g_ptr_array_sort (self->collecting, compare_requests);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  self->requests = g_steal_pointer (&self->collecting);
  note_requests (self, self->requests);

  if (self->requests->len == 0)
    /* Translators: %s is a time of day */
    g_string_printf (status, _("No requests are waiting. Checked at %s."), time);
  else
    g_string_printf (status,
                     ngettext ("%u request is waiting. Checked at %s.",
                                  "%u requests are waiting. Checked at %s.", self->requests->len),
                     self->requests->len, time);
  for (guint i = 0; i < self->errors->len; i++)
    {
      g_string_append_c (status, '\n');
      g_string_append (status, g_ptr_array_index (self->errors, i));
    }
  if (self->application != NULL && wc_application_get_hasher (self->application) == NULL)
    {
      g_string_append_c (status, '\n');
      g_string_append (status, _("The patient roster and your tags could not be checked: the keyring has not "
                                 "given Whitecoat their key."));
    }
  set_status (self, status->str);
  g_ptr_array_set_size (self->errors, 0);

  rebuild_requests (self);
  send_notifications (self);
  notify_busy (self);

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      wc_requests_view_refresh (self);
    }
}

static void
snapshot_done (WcRequestsView *self)
{
  if (--self->snapshots_pending == 0)
    finish_refresh (self);
}

static void
on_snapshot_refreshed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Fetch *fetch = user_data;
  WcRequestsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_sync_refresh_finish (WC_FOLLOWER_SYNC (source), result,
                                                                            &error);

  /* The follower sync has stored it; the screening reads it from there. */
  if (snapshot == NULL)
    add_account_error (self, fetch->account, error);
  snapshot_done (self);
  fetch_free (fetch);
}

/* "Follows your professional account" needs to know who does: read the
 * followers of professional Mastodon and Bluesky accounts when there is a request to a
 * personal account to screen and what is kept is missing or old. */
static void
refresh_snapshots (WcRequestsView *self)
{
  WcStore *store = get_store (self);
  WcFollowerSync *sync = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  gboolean personal_request = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < self->collecting->len && !personal_request; i++)
    personal_request = ((Request *) g_ptr_array_index (self->collecting, i))->personal;
  if (store != NULL && personal_request)
    sync = wc_application_get_follower_sync (self->application);
  if (sync != NULL)
    accounts = wc_store_list_accounts (store, WC_IDENTITY_PROFESSIONAL, NULL);

  self->snapshots_pending = 1;
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);

      if (!wc_follower_sync_can_read (account) || wc_account_get_connected_at (account) <= 0)
        continue;
      /* Only the date: the list itself is read by the screening. */
      if (now - wc_store_get_followers_taken_at (store, wc_account_get_id (account)) < SNAPSHOT_MAX_AGE)
        continue;
      self->snapshots_pending++;
      /* The follower sync reads it (sharing a reading already under way),
       * resumes an interrupted one, and keeps it. */
      wc_follower_sync_refresh_async (sync, wc_account_get_id (account), NULL, on_snapshot_refreshed,
                                      fetch_new (self, account));
    }
  snapshot_done (self);
}

static void
fetch_done (WcRequestsView *self)
{
  if (--self->pending == 0)
    refresh_snapshots (self);
}

static void
on_requests_page (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  WcRequestsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) accounts = wc_mastodon_list_follow_requests_finish (WC_MASTODON (source), result,
                                                                           &next, &error);

  if (accounts == NULL)
    {
      add_account_error (self, fetch->account, error);
      fetch_done (self);
      fetch_free (fetch);
      return;
    }
  /* The array frees nothing: its accounts move to the requests. */
  g_ptr_array_set_free_func (accounts, NULL);
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->collecting, request_new (fetch->account, fetch->mastodon,
                                                    g_ptr_array_index (accounts, i)));
  if (next != NULL && ++fetch->pages < MAX_REQUEST_PAGES)
    {
      wc_mastodon_list_follow_requests_async (fetch->mastodon, next, self->cancellable, on_requests_page, fetch);
      return;
    }
  fetch_done (self);
  fetch_free (fetch);
}

/* Whether the new follower was answered through Whitecoat before: then it
 * is not listed again (the notification stays on the server). */
static gboolean
answered_before (WcRequestsView *self,
                 WcAccount      *account,
                 const char     *remote_id)
{
  WcStore *store = get_store (self);
  g_autoptr(WcFollowRequestRecord) record = NULL;

  if (store == NULL)
    return FALSE;
  record = wc_store_load_follow_request (store, wc_account_get_id (account), remote_id, NULL);
  return record != NULL && record->answered_at > 0;
}

static void
on_new_followers (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  WcRequestsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) actors = wc_bluesky_list_new_followers_finish (WC_BLUESKY (source), result, &next, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (actors == NULL)
    {
      add_account_error (self, fetch->account, error);
      fetch_done (self);
      fetch_free (fetch);
      return;
    }
  for (guint i = 0; i < self->collecting->len; i++)
    {
      Request *known = g_ptr_array_index (self->collecting, i);

      if (known->account == fetch->account)
        g_hash_table_add (seen, known->who->id);
    }
  for (guint i = 0; i < actors->len; i++)
    {
      WcBlueskyActor *actor = g_ptr_array_index (actors, i);

      /* Someone who followed, unfollowed and followed again is one person. */
      if (actor->did == NULL || g_hash_table_contains (seen, actor->did)
          || (actor->followed_at > 0 && g_get_real_time () / G_USEC_PER_SEC - actor->followed_at > NEW_FOLLOWER_MAX_AGE)
          || answered_before (self, fetch->account, actor->did))
        continue;
      g_ptr_array_add (self->collecting, request_new (fetch->account, fetch->bluesky, who_from_actor (actor)));
      g_hash_table_add (seen, ((Request *) g_ptr_array_index (self->collecting, self->collecting->len - 1))->who->id);
    }
  if (next != NULL && ++fetch->pages < MAX_REQUEST_PAGES)
    {
      wc_bluesky_list_new_followers_async (fetch->bluesky, next, self->cancellable, on_new_followers, fetch);
      return;
    }
  fetch_done (self);
  fetch_free (fetch);
}

static void
on_requests_open (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  if (network != NULL && WC_IS_BLUESKY (network))
    {
      fetch->bluesky = WC_BLUESKY (g_steal_pointer (&network));
      wc_bluesky_list_new_followers_async (fetch->bluesky, NULL, fetch->self->cancellable,
                                           on_new_followers, fetch);
      return;
    }
  if (network == NULL || !WC_IS_MASTODON (network))
    {
      if (network == NULL)
        add_account_error (fetch->self, fetch->account, error);
      fetch_done (fetch->self);
      fetch_free (fetch);
      return;
    }
  fetch->mastodon = WC_MASTODON (g_steal_pointer (&network));
  wc_mastodon_list_follow_requests_async (fetch->mastodon, NULL, fetch->self->cancellable,
                                          on_requests_page, fetch);
}

/**
 * wc_requests_view_refresh:
 *
 * Lists the follow requests of every account that can have them, and
 * screens them. A refresh asked for while one runs runs after it.
 */
void
wc_requests_view_refresh (WcRequestsView *self)
{
  WcStore *store;
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));

  if (self->pending > 0 || self->snapshots_pending > 0)
    {
      self->refresh_again = TRUE;
      return;
    }
  store = get_store (self);
  if (store == NULL)
    return;

  /* The roster's key: asked for now, used when it comes (notify::hasher
   * screens again). */
  if (wc_application_get_hasher (self->application) == NULL
      && wc_application_get_hasher_error (self->application) == NULL)
    wc_application_load_hasher (self->application);

  accounts = wc_store_list_all_accounts (store, NULL);
  g_clear_pointer (&self->collecting, g_ptr_array_unref);
  self->collecting = new_request_array ();
  self->pending = 1;
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);

      if (!is_polled (account))
        continue;
      self->pending++;
      wc_connection_open_async (account, self->cancellable, on_requests_open, fetch_new (self, account));
    }
  if (self->pending == 1)
    set_status (self, _("None of your accounts can receive follow requests through Whitecoat. Mastodon accounts "
                        "that you signed in to and that approve their followers can, and the new followers of "
                        "personal Bluesky accounts you signed in to are checked too."));
  else
    set_status (self, _("Checking for requests…"));
  notify_busy (self);
  fetch_done (self);
}

/* Answers */

typedef struct
{
  WcRequestsView  *self;
  Request         *request;
  WcRequestAnswer  answer;
  gboolean         review;
} Answer;

static void
answer_free (Answer *answer)
{
  WcRequestsView *self = answer->self;

  self->answering--;
  if (!g_cancellable_is_cancelled (self->cancellable))
    notify_busy (self);
  request_unref (answer->request);
  g_object_unref (self);
  g_free (answer);
}

static void
audit_answer (WcRequestsView  *self,
              Request         *request,
              WcRequestAnswer  answer)
{
  WcStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (store == NULL)
    return;
  reason = wc_screening_dup_summary (request->screening);
  if (!wc_store_append_request_audit (store, wc_account_get_id (request->account),
                                      wc_account_get_identity (request->account),
                                      network_name (request->account), answer,
                                      wc_screening_verdict_get_label (wc_screening_get_verdict (request->screening)),
                                      wc_screening_get_person_hash (request->screening), reason, &error))
    g_warning ("Could not write the audit log: %s", error->message);
}

/* How the request was answered, by the requester's id on the server. */
static void
record_answer (WcRequestsView  *self,
               Request         *request,
               WcRequestAnswer  answer)
{
  WcStore *store = get_store (self);
  g_autoptr(GError) error = NULL;

  if (store == NULL || request->who->id == NULL || *request->who->id == '\0')
    return;
  if (!wc_store_record_follow_request_answer (store, wc_account_get_id (request->account), request->who->id,
                                              answer, &error))
    g_debug ("Cannot record the answer to a request: %s", error->message);
}

static const char *
done_text (WcRequestAnswer answer)
{
  switch (answer)
    {
    case WC_REQUEST_ANSWER_ACCEPT:
      return _("Request accepted");
    case WC_REQUEST_ANSWER_DECLINE:
      return _("Request declined");
    case WC_REQUEST_ANSWER_DECLINE_AND_POINT:
      return _("Request declined; your message was sent");
    case WC_REQUEST_ANSWER_BLOCK:
      return _("Blocked");
    case WC_REQUEST_ANSWER_MUTE:
      return _("Muted");
    case WC_REQUEST_ANSWER_REMOVE_FOLLOWER:
      return _("Removed from your followers");
    case WC_REQUEST_ANSWER_TAG_PATIENT:
      return _("Tagged as a patient");
    case WC_REQUEST_ANSWER_TAG_NOT_PATIENT:
      return _("Marked as not a patient");
    case WC_REQUEST_ANSWER_CHECKED:
    default:
      return _("Done");
    }
}

static void
answered (Answer *answer)
{
  WcRequestsView *self = answer->self;
  GPtrArray *array = answer->review ? self->review : self->requests;
  guint index = find_request (array, answer->request);

  /* Done on the server: written down even if the view went away. A
   * Bluesky follower blocked or muted in the review is kept too, so the
   * inbox does not list them again as a new follower. */
  audit_answer (self, answer->request, answer->answer);
  if (!answer->review || answer->request->bluesky != NULL)
    record_answer (self, answer->request, answer->answer);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!answer->review && (self->pending > 0 || self->snapshots_pending > 0))
    g_hash_table_add (self->answered_keys, request_key (answer->request));
  if (index != G_MAXUINT)
    g_ptr_array_remove_index (array, index);
  if (answer->review)
    rebuild_review (self);
  else
    rebuild_requests (self);
  show_toast (self, done_text (answer->answer));
}

static void
answer_failed (Answer       *answer,
               const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN))
    /* Translators: %s is what the server said */
    text = g_strdup_printf (_("The server did not allow it: %s Signing in again may give Whitecoat the permission."),
                            error->message);
  else
    text = g_strdup (error->message);
  show_toast (answer->self, text);
}

static void
on_relationship (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonRelationship) relationship = wc_mastodon_relationship_finish (WC_MASTODON (source), result,
                                                                                    &error);

  if (relationship == NULL)
    answer_failed (answer, error);
  else
    answered (answer);
  answer_free (answer);
}

static void
on_bluesky_action (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_bluesky_action_finish (WC_BLUESKY (source), result, &error))
    answer_failed (answer, error);
  else
    answered (answer);
  answer_free (answer);
}

static void
on_point_posted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) posted = wc_mastodon_post_status_finish (WC_MASTODON (source), result, &error);

  if (posted == NULL)
    {
      /* Nothing was declined: the user can try again or decline alone. */
      answer_failed (answer, error);
      answer_free (answer);
      return;
    }
  wc_mastodon_reject_follow_request_async (answer->request->mastodon, answer->request->who->id,
                                           answer->self->cancellable, on_relationship, answer);
}

static void
tag_person (WcRequestsView  *self,
            Request         *request,
            WcRequestAnswer  answer,
            gboolean         review)
{
  WcStore *store = get_store (self);
  const char *hash = wc_screening_get_person_hash (request->screening);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (store == NULL || hash == NULL)
    {
      show_toast (self, _("Tags need the key from the keyring, which Whitecoat does not have."));
      return;
    }
  if (answer == WC_REQUEST_ANSWER_TAG_PATIENT)
    ok = wc_store_set_person_tag (store, hash, WC_PERSON_TAG_PATIENT, &error);
  else
    ok = wc_store_set_not_patient (store, hash, &error);
  if (!ok)
    {
      show_toast (self, error->message);
      return;
    }
  audit_answer (self, request, answer);
  /* A new follower who is not a patient needs nothing more: the answer
   * is kept, and they leave the inbox. */
  if (request->bluesky != NULL && !review && answer == WC_REQUEST_ANSWER_TAG_NOT_PATIENT)
    {
      guint index = find_request (self->requests, request);

      record_answer (self, request, answer);
      if (self->pending > 0 || self->snapshots_pending > 0)
        g_hash_table_add (self->answered_keys, request_key (request));
      if (index != G_MAXUINT)
        g_ptr_array_remove_index (self->requests, index);
    }
  wc_application_notify_people_changed (self->application);
  /* Screen again with the new tag. */
  screen_all (self, self->requests);
  screen_all (self, self->review);
  g_ptr_array_sort (self->requests, compare_requests);
  rebuild_requests (self);
  rebuild_review (self);
  show_toast (self, done_text (answer));
}

static void
answer_request (WcRequestsView  *self,
                Request         *request,
                WcRequestAnswer  answer,
                const char      *message,
                gboolean         review)
{
  Answer *data;
  const char *id = request->who->id;

  if (answer == WC_REQUEST_ANSWER_TAG_PATIENT || answer == WC_REQUEST_ANSWER_TAG_NOT_PATIENT)
    {
      tag_person (self, request, answer, review);
      return;
    }

  data = g_new0 (Answer, 1);
  data->self = g_object_ref (self);
  data->request = request_ref (request);
  data->answer = answer;
  data->review = review;
  self->answering++;
  notify_busy (self);

  if (request->bluesky != NULL)
    {
      if (answer == WC_REQUEST_ANSWER_BLOCK)
        wc_bluesky_block_async (request->bluesky, id, self->cancellable, on_bluesky_action, data);
      else if (answer == WC_REQUEST_ANSWER_MUTE)
        wc_bluesky_mute_async (request->bluesky, id, self->cancellable, on_bluesky_action, data);
      else
        {
          /* Bluesky has no requests to accept or decline, and no way to
           * remove a follower. */
          g_autoptr(GError) error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                                         answer == WC_REQUEST_ANSWER_REMOVE_FOLLOWER
                                                         ? _("Bluesky cannot remove a follower: block them "
                                                             "instead, or mute them.")
                                                         : _("Bluesky has no follow requests: block or mute a "
                                                             "new follower instead."));

          answer_failed (data, error);
          answer_free (data);
        }
      return;
    }

  switch (answer)
    {
    case WC_REQUEST_ANSWER_ACCEPT:
      wc_mastodon_authorize_follow_request_async (request->mastodon, id, self->cancellable, on_relationship, data);
      break;
    case WC_REQUEST_ANSWER_DECLINE:
      wc_mastodon_reject_follow_request_async (request->mastodon, id, self->cancellable, on_relationship, data);
      break;
    case WC_REQUEST_ANSWER_DECLINE_AND_POINT:
      if (message != NULL && !wc_text_is_blank (message))
        {
          WcMastodonPost post = { 0 };
          g_autofree char *text = NULL;
          g_autofree char *key = g_uuid_string_random ();
          g_autofree char *mention = g_strconcat ("@", request->who->acct, NULL);

          /* A direct message reaches only the people it mentions. */
          text = strstr (message, mention) != NULL ? g_strdup (message) : g_strconcat (mention, " ", message, NULL);
          post.text = text;
          post.visibility = "direct";
          wc_mastodon_post_status_async (request->mastodon, &post, key, self->cancellable, on_point_posted, data);
        }
      else
        {
          data->answer = WC_REQUEST_ANSWER_DECLINE;
          wc_mastodon_reject_follow_request_async (request->mastodon, id, self->cancellable, on_relationship, data);
        }
      break;
    case WC_REQUEST_ANSWER_BLOCK:
      wc_mastodon_block_async (request->mastodon, id, self->cancellable, on_relationship, data);
      break;
    case WC_REQUEST_ANSWER_REMOVE_FOLLOWER:
      wc_mastodon_remove_from_followers_async (request->mastodon, id, self->cancellable, on_relationship, data);
      break;
    case WC_REQUEST_ANSWER_TAG_PATIENT:
    case WC_REQUEST_ANSWER_TAG_NOT_PATIENT:
    case WC_REQUEST_ANSWER_CHECKED:
    case WC_REQUEST_ANSWER_MUTE:
    default:
      g_warn_if_reached ();
      answer_free (data);
      break;
    }
}

/* "Decline and point…" */

static char *
dup_point_message (WcRequestsView *self,
                   Request        *request)
{
  g_autofree char *pointer = dup_professional_pointer (self);

  /* Translators: a private message to someone who asked to follow the
   * doctor's personal account. The first %s is their handle (a mention,
   * keep it first), the second the doctor's professional account. */
  return g_strdup_printf (_("@%s Thank you for wanting to follow me. I keep this account for family and friends, "
                            "so I do not accept requests here from people I know through my work. You are very "
                            "welcome to follow my professional account: %s"),
                          request->who->acct, pointer);
}

typedef struct
{
  WcRequestsView *self;
  Request        *request;
  GtkTextBuffer  *buffer;
} PointDialog;

static void
point_dialog_free (gpointer  data,
                   GClosure *closure)
{
  PointDialog *point = data;

  request_unref (point->request);
  g_object_unref (point->buffer);
  g_free (point);
}

static void
on_point_response (AdwMessageDialog *dialog,
                   const char       *response,
                   PointDialog      *point)
{
  if (g_strcmp0 (response, "send") == 0)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (point->buffer, &start, &end);
      text = gtk_text_buffer_get_text (point->buffer, &start, &end, FALSE);
      answer_request (point->self, point->request, WC_REQUEST_ANSWER_DECLINE_AND_POINT, text, FALSE);
    }
  else if (g_strcmp0 (response, "decline") == 0)
    answer_request (point->self, point->request, WC_REQUEST_ANSWER_DECLINE, NULL, FALSE);
}

static GtkWindow *
open_point_dialog (WcRequestsView *self,
                   Request        *request)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *message = dup_point_message (self, request);
  GtkWidget *dialog;
  GtkWidget *view;
  GtkWidget *frame;
  PointDialog *point;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Decline and Point to Your Professional Account"),
                                   _("Whitecoat will decline the request. You may also send this private message, "
                                     "which only they can see. Change it as you like; nothing is sent until you "
                                     "click Send."));
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), message, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Private message"), -1);
  frame = gtk_frame_new (NULL);
  gtk_widget_set_size_request (frame, -1, 120);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), frame);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "decline", _("_Decline Without Message"),
                                    "send", _("_Send and Decline"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  point = g_new0 (PointDialog, 1);
  point->self = self;
  point->request = request_ref (request);
  point->buffer = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_point_response), point, point_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

/* The manual check */

static void
on_manual_tag_clicked (GtkButton      *button,
                       WcRequestsView *self)
{
  wc_requests_view_tag_manual (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "answer")));
}

static void
show_manual_result (WcRequestsView *self)
{
  GtkWidget *child;
  GtkWidget *list;
  GtkWidget *verdict_row;
  GtkWidget *advice;
  GtkWidget *buttons[2];
  GPtrArray *signals = wc_screening_get_signals (self->manual_screening);
  WcScreeningVerdict verdict = wc_screening_get_verdict (self->manual_screening);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->manual_result_box))) != NULL)
    gtk_box_remove (self->manual_result_box, child);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  verdict_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (verdict_row), wc_screening_verdict_get_label (verdict));
  adw_action_row_add_prefix (ADW_ACTION_ROW (verdict_row), verdict_image (self->manual_screening));
  gtk_widget_add_css_class (verdict_row, "heading");
  gtk_list_box_append (GTK_LIST_BOX (list), verdict_row);
  for (guint i = 0; i < signals->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), signal_row (g_ptr_array_index (signals, i)));

  buttons[0] = gtk_button_new_with_mnemonic (_("Tag as Pa_tient"));
  g_object_set_data (G_OBJECT (buttons[0]), "answer", GINT_TO_POINTER (WC_REQUEST_ANSWER_TAG_PATIENT));
  buttons[1] = gtk_button_new_with_mnemonic (_("_Not a Patient"));
  g_object_set_data (G_OBJECT (buttons[1]), "answer", GINT_TO_POINTER (WC_REQUEST_ANSWER_TAG_NOT_PATIENT));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    g_signal_connect (buttons[i], "clicked", G_CALLBACK (on_manual_tag_clicked), self);
  gtk_list_box_append (GTK_LIST_BOX (list), buttons_row (buttons, G_N_ELEMENTS (buttons)));
  gtk_box_append (self->manual_result_box, list);

  if (verdict != WC_SCREENING_NO_SIGN)
    {
      /* Translators: %s is a network, e.g. "Facebook" */
      g_autofree char *text = g_strdup_printf (_("Rule R2: decline the request on %s and point them to your "
                                                 "professional page. Whitecoat cannot answer there for you."),
                                               self->manual_network);

      advice = gtk_label_new (text);
    }
  else
    advice = gtk_label_new (_("Nothing links this person to your patients or your work. Answer on the network as "
                              "you see fit."));
  gtk_label_set_wrap (GTK_LABEL (advice), TRUE);
  gtk_label_set_xalign (GTK_LABEL (advice), 0);
  gtk_box_append (self->manual_result_box, advice);
  gtk_widget_set_visible (GTK_WIDGET (self->manual_result_box), TRUE);
}

static void
on_typed_row_apply (WcRequestsView *self)
{
  guint selected = adw_combo_row_get_selected (self->network_row);
  const char *network = NULL;

  if (self->manual_networks != NULL && selected < self->manual_networks->len)
    network = wc_network_info_get_id (g_ptr_array_index (self->manual_networks, selected));
  wc_requests_view_check_typed (self, network, gtk_editable_get_text (GTK_EDITABLE (self->typed_row)));
}

static void
load_manual_networks (WcRequestsView *self)
{
  GPtrArray *all = wc_network_catalog_list (wc_network_catalog_get_default ());
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->manual_networks, g_ptr_array_unref);
  self->manual_networks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (all, i);

      if (wc_network_info_get_has_api (info))
        continue;
      g_ptr_array_add (self->manual_networks, g_object_ref (info));
      gtk_string_list_append (names, g_dgettext (GETTEXT_PACKAGE, wc_network_info_get_name (info)));
    }
  adw_combo_row_set_model (self->network_row, G_LIST_MODEL (names));
}

/* Review followers */

static void
finish_review (WcRequestsView *self)
{
  g_autoptr(GString) status = g_string_new (NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  screen_all (self, self->reviewing);
  for (guint i = self->reviewing->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->reviewing, i - 1);

      if (wc_screening_get_verdict (request->screening) == WC_SCREENING_NO_SIGN)
        g_ptr_array_remove_index (self->reviewing, i - 1);
    }
  g_ptr_array_sort (self->reviewing, compare_requests);
  g_clear_pointer (&self->review, g_ptr_array_unref);
  self->review = g_steal_pointer (&self->reviewing);

  if (self->review->len == 0)
    g_string_assign (status, _("None of the followers of your personal accounts looks like a patient."));
  else
    g_string_printf (status,
                     ngettext ("%u follower of a personal account may be a patient.",
                                  "%u followers of personal accounts may be patients.", self->review->len),
                     self->review->len);
  for (guint i = 0; i < self->errors->len; i++)
    {
      g_string_append_c (status, '\n');
      g_string_append (status, g_ptr_array_index (self->errors, i));
    }
  g_ptr_array_set_size (self->errors, 0);
  gtk_label_set_text (self->review_status_label, status->str);
  gtk_widget_set_visible (GTK_WIDGET (self->review_status_label), TRUE);
  rebuild_review (self);
  notify_busy (self);
}

static void
review_done (WcRequestsView *self)
{
  if (--self->review_pending == 0)
    finish_review (self);
}

static void
on_followers_page (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Fetch *fetch = user_data;
  WcRequestsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) accounts = wc_mastodon_list_followers_finish (WC_MASTODON (source), result, &next, &error);

  if (accounts == NULL)
    {
      add_account_error (self, fetch->account, error);
      review_done (self);
      fetch_free (fetch);
      return;
    }
  g_ptr_array_set_free_func (accounts, NULL);
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->reviewing, request_new (fetch->account, fetch->mastodon,
                                                   g_ptr_array_index (accounts, i)));
  if (next != NULL && ++fetch->pages < MAX_REVIEW_PAGES)
    {
      wc_mastodon_list_followers_async (fetch->mastodon, NULL, next, self->cancellable, on_followers_page, fetch);
      return;
    }
  review_done (self);
  fetch_free (fetch);
}

static void
on_bluesky_followers_page (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  Fetch *fetch = user_data;
  WcRequestsView *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) actors = wc_bluesky_list_followers_finish (WC_BLUESKY (source), result, &next, &error);

  if (actors == NULL)
    {
      add_account_error (self, fetch->account, error);
      review_done (self);
      fetch_free (fetch);
      return;
    }
  for (guint i = 0; i < actors->len; i++)
    g_ptr_array_add (self->reviewing, request_new (fetch->account, fetch->bluesky,
                                                   who_from_actor (g_ptr_array_index (actors, i))));
  if (next != NULL && ++fetch->pages < MAX_REVIEW_PAGES)
    {
      wc_bluesky_list_followers_async (fetch->bluesky, next, self->cancellable, on_bluesky_followers_page, fetch);
      return;
    }
  review_done (self);
  fetch_free (fetch);
}

static void
on_review_profile (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result,
                                                                                &error);

  if (profile == NULL)
    {
      add_account_error (fetch->self, fetch->account, error);
      review_done (fetch->self);
      fetch_free (fetch);
      return;
    }
  wc_mastodon_list_followers_async (fetch->mastodon, profile->id, NULL, fetch->self->cancellable,
                                    on_followers_page, fetch);
}

static void
on_review_open (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  /* Bluesky: the followers getFollowers gives, as the follower sync reads
   * them, with their DIDs and descriptions. */
  if (network != NULL && WC_IS_BLUESKY (network))
    {
      fetch->bluesky = WC_BLUESKY (g_steal_pointer (&network));
      wc_bluesky_list_followers_async (fetch->bluesky, NULL, fetch->self->cancellable,
                                       on_bluesky_followers_page, fetch);
      return;
    }
  if (network == NULL || !WC_IS_MASTODON (network))
    {
      if (network == NULL)
        add_account_error (fetch->self, fetch->account, error);
      review_done (fetch->self);
      fetch_free (fetch);
      return;
    }
  fetch->mastodon = WC_MASTODON (g_steal_pointer (&network));
  wc_mastodon_verify_credentials_async (fetch->mastodon, fetch->self->cancellable, on_review_profile, fetch);
}

/* Polling */

static gboolean
on_poll (gpointer user_data)
{
  WcRequestsView *self = user_data;

  g_debug ("Checking for follow requests");
  wc_requests_view_refresh (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
any_personal_requests_account (WcRequestsView *self)
{
  WcStore *store = get_store (self);
  g_autoptr(GPtrArray) accounts = store != NULL ? wc_store_list_accounts (store, WC_IDENTITY_PERSONAL, NULL) : NULL;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    if (is_polled (g_ptr_array_index (accounts, i)))
      return TRUE;
  return FALSE;
}

static void
update_polling (WcRequestsView *self)
{
  guint minutes;
  gboolean polling;

  if (self->application == NULL || self->first_poll_source != 0 || self->first_tick != 0)
    return;
  polling = any_personal_requests_account (self);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (polling && !self->polling && self->polling_started)
    wc_requests_view_refresh (self);  /* a personal account just came */
  self->polling = polling;
  if (!polling)
    return;
  minutes = g_settings_get_uint (wc_application_get_settings (self->application), "requests-poll-minutes");
  self->poll_source = g_timeout_add_seconds (MAX (minutes, 1) * 60, on_poll, self);
}

static gboolean
on_first_poll (gpointer user_data)
{
  WcRequestsView *self = user_data;

  self->first_poll_source = 0;
  update_polling (self);
  self->polling_started = TRUE;
  if (self->polling)
    wc_requests_view_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Startup time matters: the first check waits until the window has drawn
 * its first frame, and a little more. */
static gboolean
on_first_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  WcRequestsView *self = user_data;

  self->first_tick = 0;
  if (self->tick_root != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->tick_root), (gpointer *) &self->tick_root);
  self->tick_root = NULL;
  self->first_poll_source = g_timeout_add_seconds (FIRST_POLL_DELAY_SECONDS, on_first_poll, self);
  return G_SOURCE_REMOVE;
}

static void
on_root_map (GtkWidget      *root,
             WcRequestsView *self)
{
  g_clear_signal_handler (&self->map_handler, root);
  if (self->first_tick == 0 && self->first_poll_source == 0)
    {
      self->first_tick = gtk_widget_add_tick_callback (root, on_first_tick, self, NULL);
      self->tick_root = root;
      g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &self->tick_root);
    }
}

static void
on_accounts_changed (WcRequestsView *self)
{
  update_polling (self);
}

static void
on_poll_minutes_changed (WcRequestsView *self)
{
  update_polling (self);
}

static void
on_hasher_notify (WcRequestsView *self)
{
  /* The key came: screen again with the roster and the tags. */
  screen_all (self, self->requests);
  screen_all (self, self->review);
  if (self->requests != NULL && self->requests->len > 0)
    {
      g_ptr_array_sort (self->requests, compare_requests);
      rebuild_requests (self);
      send_notifications (self);
    }
  if (self->review->len > 0)
    rebuild_review (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  wc_requests_view_refresh (WC_REQUESTS_VIEW (widget));
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  wc_requests_view_review_followers (WC_REQUESTS_VIEW (widget));
}

/* Overrides */

static void
wc_requests_view_dispose (GObject *object)
{
  WcRequestsView *self = WC_REQUESTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->first_poll_source, g_source_remove);
  if (self->tick_root != NULL)
    {
      if (self->first_tick != 0)
        gtk_widget_remove_tick_callback (self->tick_root, self->first_tick);
      g_object_remove_weak_pointer (G_OBJECT (self->tick_root), (gpointer *) &self->tick_root);
      self->tick_root = NULL;
    }
  self->first_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_REQUESTS_VIEW);

  G_OBJECT_CLASS (wc_requests_view_parent_class)->dispose (object);
}

static void
wc_requests_view_finalize (GObject *object)
{
  WcRequestsView *self = WC_REQUESTS_VIEW (object);

  g_clear_object (&self->cancellable);
  /* Kept until here: an answer that completes after dispose still goes to
   * the audit log. */
  g_clear_object (&self->application);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->collecting, g_ptr_array_unref);
  g_clear_pointer (&self->review, g_ptr_array_unref);
  g_clear_pointer (&self->reviewing, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->manual_networks, g_ptr_array_unref);
  g_clear_pointer (&self->manual_screening, wc_screening_unref);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->answered_keys, g_hash_table_unref);
  g_free (self->manual_network);

  G_OBJECT_CLASS (wc_requests_view_parent_class)->finalize (object);
}

static void
wc_requests_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WcRequestsView *self = WC_REQUESTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_requests_view_class_init (WcRequestsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_requests_view_dispose;
  object_class->finalize = wc_requests_view_finalize;
  object_class->get_property = wc_requests_view_get_property;

  /**
   * WcRequestsView:busy:
   *
   * Whether a refresh, a review or an answer is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "requests.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "requests.review", NULL, review_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-requests-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, requests_list);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, network_row);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, typed_row);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, manual_result_box);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, review_status_label);
  gtk_widget_class_bind_template_child (widget_class, WcRequestsView, review_list);
  gtk_widget_class_bind_template_callback (widget_class, on_typed_row_apply);
}

static void
wc_requests_view_init (WcRequestsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->requests = new_request_array ();
  self->review = new_request_array ();
  self->errors = g_ptr_array_new_with_free_func (g_free);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->answered_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->requests_list), FALSE);
  set_status (self, _("Whitecoat checks for requests while it runs."));
  load_manual_networks (self);
}

/* Public API */

GtkWidget *
wc_requests_view_new (void)
{
  return g_object_new (WC_TYPE_REQUESTS_VIEW, NULL);
}

/**
 * wc_requests_view_set_application:
 *
 * Connects the view to @application: its store, its hasher, its settings.
 * Polling starts after the window's first frame, and only when a personal
 * account can have requests.
 */
void
wc_requests_view_set_application (WcRequestsView *self,
                                  WcApplication  *application)
{
  GtkRoot *root;

  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));
  g_return_if_fail (WC_IS_APPLICATION (application));

  if (self->application == application)
    return;
  g_return_if_fail (self->application == NULL);
  self->application = g_object_ref (application);

  g_signal_connect_object (application, "accounts-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::hasher", G_CALLBACK (on_hasher_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (wc_application_get_settings (application), "changed::requests-poll-minutes",
                           G_CALLBACK (on_poll_minutes_changed), self, G_CONNECT_SWAPPED);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root != NULL && gtk_widget_get_mapped (GTK_WIDGET (root)))
    on_root_map (GTK_WIDGET (root), self);
  else if (root != NULL)
    self->map_handler = g_signal_connect_object (root, "map", G_CALLBACK (on_root_map), self, 0);
  else
    update_polling (self);
}

gboolean
wc_requests_view_get_busy (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), FALSE);
  return is_busy (self);
}

gboolean
wc_requests_view_get_polling (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), FALSE);
  return self->polling;
}

guint
wc_requests_view_get_n_requests (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), 0);
  return self->requests->len;
}

/**
 * wc_requests_view_get_request_handle:
 *
 * Returns: the handle (user@server) of the @index-th request
 */
const char *
wc_requests_view_get_request_handle (WcRequestsView *self,
                                     guint           index)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return ((Request *) g_ptr_array_index (self->requests, index))->who->acct;
}

/**
 * wc_requests_view_get_request_screening:
 *
 * Returns: (transfer none): the screening of the @index-th request
 */
WcScreening *
wc_requests_view_get_request_screening (WcRequestsView *self,
                                        guint           index)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return ((Request *) g_ptr_array_index (self->requests, index))->screening;
}

gboolean
wc_requests_view_get_banner_visible (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

const char *
wc_requests_view_get_banner_text (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  return gtk_label_get_text (self->banner_label);
}

guint
wc_requests_view_get_n_notifications (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), 0);
  return self->n_notifications;
}

const char *
wc_requests_view_get_status_text (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/**
 * wc_requests_view_answer:
 * @index: the request, as listed
 * @message: (nullable): the private message, for
 *   %WC_REQUEST_ANSWER_DECLINE_AND_POINT
 *
 * Answers a request as the user chose, on the network and in the audit
 * log. The buttons ask first where they should (accepting a possible
 * patient on a personal account, the message).
 */
void
wc_requests_view_answer (WcRequestsView  *self,
                         guint            index,
                         WcRequestAnswer  answer,
                         const char      *message)
{
  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));
  g_return_if_fail (index < self->requests->len);
  answer_request (self, g_ptr_array_index (self->requests, index), answer, message, FALSE);
}

char *
wc_requests_view_dup_point_message (WcRequestsView *self,
                                    guint           index)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return dup_point_message (self, g_ptr_array_index (self->requests, index));
}

/**
 * wc_requests_view_open_point_dialog:
 *
 * Returns: (transfer none): the dialog, which owns itself
 */
GtkWindow *
wc_requests_view_open_point_dialog (WcRequestsView *self,
                                    guint           index)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return open_point_dialog (self, g_ptr_array_index (self->requests, index));
}

/**
 * wc_requests_view_check_typed:
 * @network_id: (nullable): the network where someone asked, e.g. "facebook"
 * @typed: their name, handle or e-mail address
 *
 * Screens a person the user typed in, and writes the check to the audit
 * log (without what was typed).
 */
void
wc_requests_view_check_typed (WcRequestsView *self,
                              const char     *network_id,
                              const char     *typed)
{
  WcNetworkInfo *info;
  g_autoptr(WcScreener) screener = NULL;
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  WcStore *store;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));

  if (typed == NULL || wc_text_is_blank (typed))
    return;
  if (self->application != NULL && wc_application_get_hasher (self->application) == NULL
      && wc_application_get_hasher_error (self->application) == NULL)
    wc_application_load_hasher (self->application);

  info = network_id != NULL ? wc_network_catalog_lookup (wc_network_catalog_get_default (), network_id) : NULL;
  g_free (self->manual_network);
  self->manual_network = g_strdup (info != NULL ? g_dgettext (GETTEXT_PACKAGE, wc_network_info_get_name (info))
                                                : _("the network"));

  wc_screening_subject_set_typed (&subject, typed);
  screener = load_screener (self);
  g_clear_pointer (&self->manual_screening, wc_screening_unref);
  self->manual_screening = wc_screener_screen (screener, &subject);

  store = get_store (self);
  if (store != NULL)
    {
      g_autofree char *reason = wc_screening_dup_summary (self->manual_screening);

      if (!wc_store_append_request_audit (store, -1, WC_IDENTITY_PERSONAL,
                                          info != NULL ? wc_network_info_get_name (info) : "?",
                                          WC_REQUEST_ANSWER_CHECKED,
                                          wc_screening_verdict_get_label (wc_screening_get_verdict (self->manual_screening)),
                                          wc_screening_get_person_hash (self->manual_screening), reason, &error))
        g_warning ("Could not write the audit log: %s", error->message);
    }
  show_manual_result (self);
}

/**
 * wc_requests_view_get_manual_screening:
 *
 * Returns: (transfer none) (nullable): the last manual check
 */
WcScreening *
wc_requests_view_get_manual_screening (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  return self->manual_screening;
}

/**
 * wc_requests_view_tag_manual:
 * @answer: %WC_REQUEST_ANSWER_TAG_PATIENT or %WC_REQUEST_ANSWER_TAG_NOT_PATIENT
 *
 * Tags the person of the last manual check.
 */
void
wc_requests_view_tag_manual (WcRequestsView  *self,
                             WcRequestAnswer  answer)
{
  WcStore *store;
  const char *hash;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));
  g_return_if_fail (answer == WC_REQUEST_ANSWER_TAG_PATIENT || answer == WC_REQUEST_ANSWER_TAG_NOT_PATIENT);

  store = get_store (self);
  hash = self->manual_screening != NULL ? wc_screening_get_person_hash (self->manual_screening) : NULL;
  if (store == NULL || hash == NULL)
    {
      show_toast (self, _("Tags need the key from the keyring, which Whitecoat does not have."));
      return;
    }
  if (answer == WC_REQUEST_ANSWER_TAG_PATIENT)
    ok = wc_store_set_person_tag (store, hash, WC_PERSON_TAG_PATIENT, &error);
  else
    ok = wc_store_set_not_patient (store, hash, &error);
  if (!ok)
    {
      show_toast (self, error->message);
      return;
    }
  if (!wc_store_append_request_audit (store, -1, WC_IDENTITY_PERSONAL, self->manual_network, answer,
                                      wc_screening_verdict_get_label (wc_screening_get_verdict (self->manual_screening)),
                                      hash, NULL, &error))
    g_warning ("Could not write the audit log: %s", error->message);
  wc_application_notify_people_changed (self->application);
  show_toast (self, done_text (answer));
}

/**
 * wc_requests_view_review_followers:
 *
 * Reads the followers of every personal Mastodon account (up to 2,000
 * each) and Bluesky account (up to 2,500) and lists those who may be
 * patients. Mastodon's can be removed from the followers; Bluesky has no
 * such thing, its followers can be blocked or muted.
 */
void
wc_requests_view_review_followers (WcRequestsView *self)
{
  WcStore *store;
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));

  store = get_store (self);
  if (self->review_pending > 0 || store == NULL)
    return;
  if (wc_application_get_hasher (self->application) == NULL
      && wc_application_get_hasher_error (self->application) == NULL)
    wc_application_load_hasher (self->application);

  accounts = wc_store_list_accounts (store, WC_IDENTITY_PERSONAL, NULL);
  g_clear_pointer (&self->reviewing, g_ptr_array_unref);
  self->reviewing = new_request_array ();
  self->review_pending = 1;
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);

      if (!can_have_requests (account) && !can_have_new_followers (account))
        continue;
      self->review_pending++;
      wc_connection_open_async (account, self->cancellable, on_review_open, fetch_new (self, account));
    }
  gtk_label_set_text (self->review_status_label, _("Reading your followers…"));
  gtk_widget_set_visible (GTK_WIDGET (self->review_status_label), TRUE);
  notify_busy (self);
  review_done (self);
}

guint
wc_requests_view_get_n_review (WcRequestsView *self)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), 0);
  return self->review->len;
}

const char *
wc_requests_view_get_review_handle (WcRequestsView *self,
                                    guint           index)
{
  g_return_val_if_fail (WC_IS_REQUESTS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->review->len, NULL);
  return ((Request *) g_ptr_array_index (self->review, index))->who->acct;
}

/**
 * wc_requests_view_answer_review:
 * @answer: %WC_REQUEST_ANSWER_REMOVE_FOLLOWER (Mastodon),
 *   %WC_REQUEST_ANSWER_BLOCK or %WC_REQUEST_ANSWER_MUTE (Bluesky), or a tag
 */
void
wc_requests_view_answer_review (WcRequestsView  *self,
                                guint            index,
                                WcRequestAnswer  answer)
{
  g_return_if_fail (WC_IS_REQUESTS_VIEW (self));
  g_return_if_fail (index < self->review->len);
  answer_request (self, g_ptr_array_index (self->review, index), answer, NULL, TRUE);
}
