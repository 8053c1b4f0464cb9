/**
 * Authorization for the hub: OAuth 2.0 JWT access tokens (RFC 9068) carrying Mercure authorization
 * details (RFC 9396), verified and minted.
 */
package dev.herald.hub.auth;
