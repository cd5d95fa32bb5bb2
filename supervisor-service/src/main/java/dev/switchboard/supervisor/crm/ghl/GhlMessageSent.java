package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * GHL's answer to {@code POST /conversations/messages}.
 *
 * @param conversationId the conversation the message went to
 * @param messageId      GHL's id of the sent message (recorded on the queue row; the loop guard knows it by it)
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GhlMessageSent(String conversationId, String messageId) {}
