package i18n

func init() { register(privacyMessages) }

// privacyMessages holds the texts of the privacy guard (sessions/privacy.go):
// the markers that replace a removed identifier and the notice that tells an
// author what was removed. Markers must contain no digits, '@', '.', ':' or
// '/', so that the guard never detects a marker (sessions tests check this).
var privacyMessages = map[string]Text{
	"privacy.marker.email":     {NL: "[e-mailadres verwijderd]", EN: "[e-mail address removed]"},
	"privacy.marker.phone":     {NL: "[telefoonnummer verwijderd]", EN: "[phone number removed]"},
	"privacy.marker.bsn":       {NL: "[BSN verwijderd]", EN: "[citizen service number removed]"},
	"privacy.marker.iban":      {NL: "[rekeningnummer verwijderd]", EN: "[bank account number removed]"},
	"privacy.marker.postcode":  {NL: "[adres verwijderd]", EN: "[address removed]"},
	"privacy.marker.birthdate": {NL: "[datum verwijderd]", EN: "[date removed]"},
	"privacy.marker.url":       {NL: "[link verwijderd]", EN: "[link removed]"},

	"privacy.removed": {NL: "Verwijderd: %s.", EN: "Removed: %s."},
	"privacy.found": {NL: "Dit lijkt persoonsgegevens te bevatten (%s). Pas je tekst aan, of verstuur hem zo: dan halen we die gegevens weg.",
		EN: "This looks like it holds personal data (%s). Change your text, or send it as it is: we then remove that data."},

	"privacy.count.email.one":       {NL: "%d e-mailadres", EN: "%d e-mail address"},
	"privacy.count.email.other":     {NL: "%d e-mailadressen", EN: "%d e-mail addresses"},
	"privacy.count.phone.one":       {NL: "%d telefoonnummer", EN: "%d phone number"},
	"privacy.count.phone.other":     {NL: "%d telefoonnummers", EN: "%d phone numbers"},
	"privacy.count.bsn.one":         {NL: "%d BSN", EN: "%d citizen service number"},
	"privacy.count.bsn.other":       {NL: "%d BSN's", EN: "%d citizen service numbers"},
	"privacy.count.iban.one":        {NL: "%d rekeningnummer", EN: "%d bank account number"},
	"privacy.count.iban.other":      {NL: "%d rekeningnummers", EN: "%d bank account numbers"},
	"privacy.count.postcode.one":    {NL: "%d adres", EN: "%d address"},
	"privacy.count.postcode.other":  {NL: "%d adressen", EN: "%d addresses"},
	"privacy.count.birthdate.one":   {NL: "%d datum", EN: "%d date"},
	"privacy.count.birthdate.other": {NL: "%d datums", EN: "%d dates"},
	"privacy.count.url.one":         {NL: "%d link", EN: "%d link"},
	"privacy.count.url.other":       {NL: "%d links", EN: "%d links"},
}
