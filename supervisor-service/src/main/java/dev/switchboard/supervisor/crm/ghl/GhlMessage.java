package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of GHL {@code POST /conversations/messages} (API version 2021-04-15), camelCase as GHL expects.
 *
 * @param type      channel: {@code SMS}, {@code Email}, {@code WhatsApp}, {@code IG}, {@code FB}, {@code Live_Chat}, ...
 * @param contactId the GHL contact
 * @param message   the text to send
 * @param subject   e-mail subject (only for {@code Email}), else {@code null}
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GhlMessage(String type, String contactId, String message, String subject) {}
