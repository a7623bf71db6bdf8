package policy

// NoticeRoute decides how a formal notice (diffida) goes: by ordinary mail
// where the business has no PEC account (RouteMail); through the PEC
// account to a PEC mailbox (RoutePEC), the only way it gets a delivery
// receipt with legal value; through the PEC account to an ordinary mailbox
// (RoutePECToOrdinary) only when the owner said so ("invia diffida
// comunque", anyway) — otherwise refuse is true and the owner is asked for
// the client's PEC address.
func NoticeRoute(hasPEC, toPEC, anyway bool) (route string, refuse bool) {
	switch {
	case !hasPEC:
		return RouteMail, false
	case toPEC:
		return RoutePEC, false
	case !anyway:
		return "", true
	}
	return RoutePECToOrdinary, false
}
