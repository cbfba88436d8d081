import TuanApp
import TuanDomain

extension WebhookEndpointStatus {
    /// The secret only when it was just made (created or rotated): it is shown once.
    func json(includeSecret: Bool = false) -> JSONValue {
        var fields = JSONFieldList()
        write(to: &fields, includeSecret: includeSecret)
        return fields.object
    }

    func write(to fields: inout JSONFieldList, includeSecret: Bool) {
        fields.field("id", endpoint.id)
        fields.field("url", endpoint.url)
        fields.field("event_types", .array(endpoint.types.map(\.rawValue).sorted().map { .string($0) }))
        fields.field("description", endpoint.description)
        fields.field("disabled", .bool(endpoint.disabled))
        if includeSecret { fields.field("secret", endpoint.secret) }
        fields.field("previous_secret_expires_at", endpoint.previousSecretUntil)
        fields.field("scanned_seq", endpoint.scannedSeq)
        fields.field("delivered_count", endpoint.deliveredCount)
        fields.field("queued_count", queued)
        fields.field("dead_letter_count", dead)
        fields.field("unscanned_count", unscanned)
        fields.field("created_at", endpoint.createdAt)
    }
}

extension DeadLetter {
    var json: JSONValue {
        ["seq": .int(seq), "event_id": .string(StoredEvent.id(seq: seq)), "campaign_id": stream == 0 ? .null : .int(stream),
         "attempts": .int(attempts), "last_error": JSONValue(lastError), "died_at": JSONValue(diedAt)]
    }
}
