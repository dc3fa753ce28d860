package i18n

func init() { register(privacyMessages) }

// privacyMessages holds the texts of the privacy guard (package pii): the
// markers that replace a removed identifier, the notice that tells an author
// what was removed, the hint about names, and the refusal of text with
// control characters. Markers must contain no digits, '@', '.', ':' or '/',
// so that the guard never detects a marker (pii tests check this).
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
	"privacy.names": {NL: "Staat hier een naam in (%s)? Namen halen we niet weg: pas je tekst aan, of verstuur hem zo als niemand er herkenbaar door wordt.",
		EN: "Is there a name in this (%s)? Names are not removed: change your text, or send it as it is if nobody can be recognised by it."},
	"privacy.text_invalid": {NL: "De tekst bevat een onzichtbaar stuurteken (zoals NUL) of tekens die geen geldige tekst zijn. Haal ze weg (typ de tekst zo nodig opnieuw) en probeer het nog eens.",
		EN: "The text contains an invisible control character (such as NUL) or characters that are not valid text. Remove them (retype the text if need be) and try again."},

	"privacy.count.email.one":       {NL: "%[1]s e-mailadres", EN: "%[1]s e-mail address"},
	"privacy.count.email.other":     {NL: "%[1]s e-mailadressen", EN: "%[1]s e-mail addresses"},
	"privacy.count.phone.one":       {NL: "%[1]s telefoonnummer", EN: "%[1]s phone number"},
	"privacy.count.phone.other":     {NL: "%[1]s telefoonnummers", EN: "%[1]s phone numbers"},
	"privacy.count.bsn.one":         {NL: "%[1]s BSN", EN: "%[1]s citizen service number"},
	"privacy.count.bsn.other":       {NL: "%[1]s BSN's", EN: "%[1]s citizen service numbers"},
	"privacy.count.iban.one":        {NL: "%[1]s rekeningnummer", EN: "%[1]s bank account number"},
	"privacy.count.iban.other":      {NL: "%[1]s rekeningnummers", EN: "%[1]s bank account numbers"},
	"privacy.count.postcode.one":    {NL: "%[1]s adres", EN: "%[1]s address"},
	"privacy.count.postcode.other":  {NL: "%[1]s adressen", EN: "%[1]s addresses"},
	"privacy.count.birthdate.one":   {NL: "%[1]s datum", EN: "%[1]s date"},
	"privacy.count.birthdate.other": {NL: "%[1]s datums", EN: "%[1]s dates"},
	"privacy.count.url.one":         {NL: "%[1]s link", EN: "%[1]s link"},
	"privacy.count.url.other":       {NL: "%[1]s links", EN: "%[1]s links"},
}
