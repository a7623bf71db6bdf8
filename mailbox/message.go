package mailbox

import (
	"net/textproto"

	"github.com/sollecito/sollecito/mailbox/message"
)

// The message a client reads is package message's: these names keep the
// mailbox package's users (the engine, the commands) reading as before.
type (
	// Message is message.Message.
	Message = message.Message
	// Address is message.Address.
	Address = message.Address
	// Attachment is message.Attachment.
	Attachment = message.Attachment
)

// Limits of Parse (see package message).
const (
	MaxMessageSize = message.MaxMessageSize
	MaxParts       = message.MaxParts
	MaxDepth       = message.MaxDepth
)

// ErrTooLarge is message.ErrTooLarge.
var ErrTooLarge = message.ErrTooLarge

// Parse is message.Parse.
func Parse(raw []byte) (*Message, error) { return message.Parse(raw) }

// HTMLToText is message.HTMLToText.
func HTMLToText(html string) string { return message.HTMLToText(html) }

func canonicalKey(k string) string { return textproto.CanonicalMIMEHeaderKey(k) }
