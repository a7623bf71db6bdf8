package policy

// The per-recipient cap (policy.max_messages_per_day): no recipient gets
// more than Limit messages from the bot in one calendar day of the
// business, however much mail arrives. The engine counts; Cap decides.

// CapState is what the cap knows of a message about to be queued.
type CapState struct {
	Template Template
	ToOwner  bool
	// Address is the recipient (a client message) or the sender whose
	// mail caused it (an owner message).
	Address string
	// Sent is how many messages are already counted today under the
	// message's key (the recipient; for the owner, the cause), and Limit
	// max_messages_per_day.
	Sent, Limit int
	// OwnerSent is how many owner messages incoming mail caused today,
	// whatever the cause, and OwnerLimit owner_messages_per_day.
	OwnerSent, OwnerLimit int
	// Queued says the same message to the same client already waits in
	// the outbox (asked only of a client message over the cap).
	Queued bool
}

// CapAction is what the cap does with a message.
type CapAction int

const (
	CapSend CapAction = iota // within the cap: counted and queued for its time
	CapHold                  // an owner message over the cap: held for the next day's digest
	CapDrop                  // a client message over the cap the outbox already holds: not queued again
	CapMove                  // a client message over the cap: moved to the next day with room
)

// Cap decides what happens to a message under the per-recipient cap, and
// why when it is not sent as planned (CapMove's Why lacks the day, At,
// which the engine finds by counting the days ahead). A client message
// over the cap moves to the next day with room, unless the same one waits
// already; an owner message over its cause's cap, or over what incoming
// mail may cause the owner in a day, is held for the digest.
func Cap(s CapState) (CapAction, Why) {
	limit, ownerLimit := max(s.Limit, 1), max(s.OwnerLimit, 1)
	if s.Sent < limit && (!s.ToOwner || s.OwnerSent < ownerLimit) {
		return CapSend, Why{}
	}
	if s.ToOwner {
		if s.Sent < limit {
			return CapHold, Why{Code: WhyCapOwnerDay, Template: s.Template, Count: s.OwnerSent}
		}
		return CapHold, Why{Code: WhyCapOwnerSender, Template: s.Template, Address: s.Address, Count: s.Sent}
	}
	if s.Queued {
		return CapDrop, Why{Code: WhyCapQueued, Template: s.Template, Address: s.Address}
	}
	return CapMove, Why{Code: WhyCapMoved, Template: s.Template, Address: s.Address, Count: limit}
}
