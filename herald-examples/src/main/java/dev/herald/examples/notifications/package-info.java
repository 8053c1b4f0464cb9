/**
 * The notifications demo: publish from a form, receive on every page. See {@link
 * dev.herald.examples.notifications.NotificationsDemo}.
 */
package dev.herald.examples.notifications;
