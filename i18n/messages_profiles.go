package i18n

// profilesMessages holds the texts of the profiles package: parse and
// validation errors, disclosure rules and report wording.
var profilesMessages = map[string]Text{}
