/** The contracts every component shares: event-bus addresses, failure codes, message records and codecs. */
package io.agentbus.api;
