package i18n

// sessionsMessages holds the texts of live sessions: protocol errors,
// privacy-guard markers, roles and note kinds.
var sessionsMessages = map[string]Text{}
