package sessions

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"atelier/i18n"
)

// The numbers below are made up. Valid BSNs were computed with the elfproef
// (123456782 and 111222333 are the well-known test numbers); the IBANs are
// the ISO 13616 examples or computed with mod-97 for made-up account numbers.

func one(k PIIKind) []Redaction { return []Redaction{{Kind: k, Count: 1}} }

var (
	mEmail    = PIIEmail.Marker(i18n.NL)
	mPhone    = PIIPhone.Marker(i18n.NL)
	mBSN      = PIIBSN.Marker(i18n.NL)
	mIBAN     = PIIIBAN.Marker(i18n.NL)
	mPostcode = PIIPostcode.Marker(i18n.NL)
	mDate     = PIIBirthdate.Marker(i18n.NL)
	mURL      = PIIURL.Marker(i18n.NL)
)

var redactTests = []struct {
	name string
	in   string
	out  string
	want []Redaction
}{
	// e-mail
	{"email and phone", "Bel me op 06-12345678 of mail jan@voorbeeld.nl",
		"Bel me op " + mPhone + " of mail " + mEmail, []Redaction{{PIIEmail, 1}, {PIIPhone, 1}}},
	{"email dotted", "Mail naar j.de.vries@gemeente-utrecht.nl.", "Mail naar " + mEmail + ".", one(PIIEmail)},
	{"email plus", "anna+atelier@voorbeeld.com, graag", mEmail + ", graag", one(PIIEmail)},
	{"email unicode", "mail José.Müller@bücher.de", "mail " + mEmail, one(PIIEmail)},
	{"email two", "a@b.nl en c@d.nl", mEmail + " en " + mEmail, []Redaction{{PIIEmail, 2}}},
	{"email bracketed at", "schrijf naar jan(at)voorbeeld.nl", "schrijf naar " + mEmail, one(PIIEmail)},
	{"email square at", "jan [at] voorbeeld [punt] nl", mEmail, one(PIIEmail)},
	{"email spelled", "mail jan at voorbeeld punt nl maar", "mail " + mEmail + " maar", one(PIIEmail)},
	{"email spelled en", "write john at example dot com", "write " + mEmail, one(PIIEmail)},

	// phone
	{"mobile spaced", "06 1234 5678", mPhone, one(PIIPhone)},
	{"mobile plain", "nummer: 0612345678.", "nummer: " + mPhone + ".", one(PIIPhone)},
	{"mobile pairs", "06-12 34 56 78", mPhone, one(PIIPhone)},
	{"mobile spaced hyphen", "06 - 12345678", mPhone, one(PIIPhone)},
	{"mobile +31", "app +31 6 12345678", "app " + mPhone, one(PIIPhone)},
	{"mobile +31 plain", "+31612345678", mPhone, one(PIIPhone)},
	{"mobile 0031", "0031 6 1234 5678", mPhone, one(PIIPhone)},
	{"mobile +31 (0)", "+31 (0)6 12 34 56 78", mPhone, one(PIIPhone)},
	{"landline 020", "020-1234567", mPhone, one(PIIPhone)},
	{"landline 010", "tel. 010 123 4567", "tel. " + mPhone, one(PIIPhone)},
	{"landline 0591", "0591-123456", mPhone, one(PIIPhone)},
	{"landline brackets", "(020) 123 45 67", mPhone, one(PIIPhone)},
	{"landline brackets 4", "(0591) 12 34 56", mPhone, one(PIIPhone)},
	{"landline +31", "+31 20 123 4567", mPhone, one(PIIPhone)},
	{"foreign", "+32 470 12 34 56", mPhone, one(PIIPhone)},
	{"two phones slash", "0612345678/0201234567", mPhone + "/" + mPhone, []Redaction{{PIIPhone, 2}}},

	// BSN
	{"bsn plain", "BSN 123456782 van moeder", "BSN " + mBSN + " van moeder", one(PIIBSN)},
	{"bsn dots", "bsn: 111.222.333", "bsn: " + mBSN, one(PIIBSN)},
	{"bsn spaces", "234 567 892", mBSN, one(PIIBSN)},
	{"bsn official", "3049.87.657", mBSN, one(PIIBSN)},
	{"bsn leading zero", "098765437", mBSN, one(PIIBSN)},
	{"bsn glued", "bsn123456782", "bsn123456782", nil},

	// IBAN
	{"iban spaced", "Maak over naar NL91 ABNA 0417 1643 00 graag", "Maak over naar " + mIBAN + " graag", one(PIIIBAN)},
	{"iban plain", "NL20INGB0001234567", mIBAN, one(PIIIBAN)},
	{"iban lower", "rekening nl44rabo0123456789.", "rekening " + mIBAN + ".", one(PIIIBAN)},
	{"iban be", "BE68 5390 0754 7034", mIBAN, one(PIIIBAN)},
	{"iban de", "DE89 3704 0044 0532 0130 00", mIBAN, one(PIIIBAN)},
	{"iban gb", "GB82WEST12345698765432", mIBAN, one(PIIIBAN)},

	// postcode with house number
	{"postcode house", "woont op 1234 AB 12", "woont op " + mPostcode, one(PIIPostcode)},
	{"postcode attached suffix", "1234AB 12a", mPostcode, one(PIIPostcode)},
	{"postcode lower comma", "1234ab, 5", mPostcode, one(PIIPostcode)},
	{"postcode then word", "1234 AB 12 en verder", mPostcode + " en verder", one(PIIPostcode)},
	{"house then postcode", "Kerkstraat 12, 1234 AB Amsterdam", "Kerkstraat " + mPostcode + " Amsterdam", one(PIIPostcode)},

	// dates that look like birth dates
	{"date dashes", "geboren 12-03-1985", "geboren " + mDate, one(PIIBirthdate)},
	{"date slashes", "3/1/2011", mDate, one(PIIBirthdate)},
	{"date two digit year", "12.03.85", mDate, one(PIIBirthdate)},
	{"date iso", "1985-03-12", mDate, one(PIIBirthdate)},
	{"date words", "zij is op 12 maart 1985 geboren", "zij is op " + mDate + " geboren", one(PIIBirthdate)},
	{"date words 2", "3 januari 2011", mDate, one(PIIBirthdate)},
	{"date abbrev", "1 okt. 1990", mDate, one(PIIBirthdate)},
	{"date english", "born March 12, 1985", "born " + mDate, one(PIIBirthdate)},
	{"date english 2", "12th of", "12th of", nil},
	{"date 1900", "1 januari 1900", mDate, one(PIIBirthdate)},

	// URLs
	{"url https", "zie https://www.example.org/pad?x=1.", "zie " + mURL + ".", one(PIIURL)},
	{"url www", "op www.janssen-familie.nl staat", "op " + mURL + " staat", one(PIIURL)},
	{"url bare path", "facebook.com/naam", mURL, one(PIIURL)},
	{"url in parens", "(zie instagram.com/anna)", "(zie " + mURL + ")", one(PIIURL)},
	{"url with email", "https://x.nl/?mail=jan@voorbeeld.nl", mURL, one(PIIURL)},

	// several
	{"mixed", "Moeder (BSN 123456782), 06-12345678, 1234 AB 12, geb. 3-1-1985, NL91ABNA0417164300, www.x.nl",
		"Moeder (BSN " + mBSN + "), " + mPhone + ", " + mPostcode + ", geb. " + mDate + ", " + mIBAN + ", " + mURL,
		[]Redaction{{PIIPhone, 1}, {PIIBSN, 1}, {PIIIBAN, 1}, {PIIPostcode, 1}, {PIIBirthdate, 1}, {PIIURL, 1}}},
}

// ordinaryTexts must pass the guard untouched.
var ordinaryTexts = []string{
	"In 2024 deden 1.200 huishoudens mee.",
	"2024",
	"€ 1.250,-",
	"€ 1.250",
	"De huur steeg met 12,5% tot € 1.250 per maand.",
	"tussen 10 en 20%",
	"tussen 2020 en 2024",
	"in 2024 is 12% verhuisd",
	"3 kinderen, 2 volwassenen",
	"artikel 12 van de wet",
	"om 14:30 uur, tot 16.45",
	"van 10-12 uur",
	"schooljaar 2023-2024",
	"1/3 van de ouders",
	"o.a. bijv. enz. z.s.m. i.p.v. t.a.v.",
	"en/of",
	"op 12 maart hadden we een bijeenkomst",
	"sinds maart 1985",
	"op 12 maart 2099", // not a plausible birth year
	"31-02-1985",       // no such day
	"score 3-1-10",
	"versie 1.2.3",
	"1234 AB", // postcode alone: not a household
	"1234 AB Utrecht",
	"een bestand van 1500 MB",
	"kijk op gemeente.nl of rijksoverheid.nl",
	"ouders.Vaak/soms",
	"kijk at website.nl",
	"123456789",              // fails the elfproef
	"123.456.789",            // idem
	"000000000",              // all zeros
	"€ 123.456.782",          // an amount, even though it passes the elfproef
	"12345678",               // eight digits: not a BSN
	"1.234.567.820",          // a large number
	"06-1234567",             // one digit short
	"0612345678901",          // too long for a phone number
	"0800-1234",              // service number
	"00123456789",            // zero-padded
	"NL91ABNA0417164301",     // IBAN failing mod-97
	"NL91 ABNA 0417 1643 01", // idem, spaced
	"XX91ABNA0417164300",     // no such country
	"Hoe kunnen we voorkomen dat gezinnen bij de voedselbank terechtkomen?",
	"",
}

func TestRedactDetects(t *testing.T) {
	for _, tt := range redactTests {
		t.Run(tt.name, func(t *testing.T) {
			got, rs := Redact(tt.in, i18n.NL)
			if want := tt.out; got != want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, want)
			}
			if got, want := rs, tt.want; !reflect.DeepEqual(got, want) {
				t.Errorf("Redact(%q) redactions = %v, want %v", tt.in, got, want)
			}
		})
	}
}

func TestRedactLeavesOrdinaryText(t *testing.T) {
	for _, in := range ordinaryTexts {
		got, rs := Redact(in, i18n.NL)
		if got != in || rs != nil {
			t.Errorf("Redact(%q) = %q, %v; want it unchanged", in, got, rs)
		}
	}
}

func TestRedactIdempotent(t *testing.T) {
	var ins []string
	for _, tt := range redactTests {
		ins = append(ins, tt.in)
	}
	ins = append(ins, ordinaryTexts...)
	for _, lang := range i18n.Langs {
		for _, in := range ins {
			once, _ := Redact(in, lang)
			twice, rs := Redact(once, lang)
			if got, want := twice, once; got != want || rs != nil {
				t.Errorf("Redact(Redact(%q)) = %q, %v; want %q, nil", in, got, rs, want)
			}
		}
	}
}

func TestRedactEnglishMarkers(t *testing.T) {
	got, _ := Redact("Bel me op 06-12345678 of mail jan@voorbeeld.nl", i18n.EN)
	if want := "Bel me op [phone number removed] of mail [e-mail address removed]"; got != want {
		t.Errorf("Redact(EN) = %q, want %q", got, want)
	}
}

func TestRedactInvalidUTF8(t *testing.T) {
	got, rs := Redact("a\xffb 06-12345678", i18n.NL)
	if !utf8.ValidString(got) {
		t.Fatalf("Redact returned invalid UTF-8: %q", got)
	}
	if want := "a\uFFFDb " + mPhone; got != want || !reflect.DeepEqual(rs, one(PIIPhone)) {
		t.Errorf("Redact = %q, %v; want %q", got, rs, want)
	}
}

func TestMarker(t *testing.T) {
	tests := []struct {
		kind   PIIKind
		nl, en string
	}{
		{PIIEmail, "[e-mailadres verwijderd]", "[e-mail address removed]"},
		{PIIPhone, "[telefoonnummer verwijderd]", "[phone number removed]"},
		{PIIBSN, "[BSN verwijderd]", "[citizen service number removed]"},
		{PIIIBAN, "[rekeningnummer verwijderd]", "[bank account number removed]"},
		{PIIPostcode, "[adres verwijderd]", "[address removed]"},
		{PIIBirthdate, "[datum verwijderd]", "[date removed]"},
		{PIIURL, "[link verwijderd]", "[link removed]"},
	}
	if got, want := len(tests), len(PIIKinds); got != want {
		t.Fatalf("%d kinds tested, %d kinds exist", got, want)
	}
	for _, tt := range tests {
		if got, want := tt.kind.Marker(i18n.NL), tt.nl; got != want {
			t.Errorf("%s.Marker(NL) = %q, want %q", tt.kind, got, want)
		}
		if got, want := tt.kind.Marker(i18n.EN), tt.en; got != want {
			t.Errorf("%s.Marker(EN) = %q, want %q", tt.kind, got, want)
		}
	}
}

// Markers must never be detected themselves, alone or glued to text around
// them; otherwise Redact would not reach a fixed point.
func TestMarkersAreInert(t *testing.T) {
	for _, lang := range i18n.Langs {
		for _, k := range PIIKinds {
			m := k.Marker(lang)
			if strings.ContainsAny(m, "0123456789@.:/") {
				t.Errorf("marker %q contains a character detectors look for", m)
			}
			for _, in := range []string{m, "x" + m + "y", "12 " + m + " 1985", "jan at " + m + " punt nl", "06 " + m} {
				if got, rs := Redact(in, lang); got != in || rs != nil {
					t.Errorf("Redact(%q) = %q, %v; want unchanged", in, got, rs)
				}
			}
		}
	}
}

func TestDescribeRedactions(t *testing.T) {
	tests := []struct {
		rs     []Redaction
		nl, en string
	}{
		{nil, "", ""},
		{[]Redaction{{PIIEmail, 0}}, "", ""},
		{[]Redaction{{PIIEmail, 1}, {PIIPhone, 2}},
			"Verwijderd: 1 e-mailadres, 2 telefoonnummers.", "Removed: 1 e-mail address, 2 phone numbers."},
		{[]Redaction{{PIIPhone, 1}}, "Verwijderd: 1 telefoonnummer.", "Removed: 1 phone number."},
		{[]Redaction{{PIIBSN, 1}, {PIIIBAN, 3}}, "Verwijderd: 1 BSN, 3 rekeningnummers.",
			"Removed: 1 citizen service number, 3 bank account numbers."},
		{[]Redaction{{PIIBSN, 2}, {PIIIBAN, 1}}, "Verwijderd: 2 BSN's, 1 rekeningnummer.",
			"Removed: 2 citizen service numbers, 1 bank account number."},
		{[]Redaction{{PIIPostcode, 1}, {PIIBirthdate, 2}, {PIIURL, 1}}, "Verwijderd: 1 adres, 2 datums, 1 link.",
			"Removed: 1 address, 2 dates, 1 link."},
		{[]Redaction{{PIIPostcode, 2}, {PIIBirthdate, 1}, {PIIURL, 2}, {PIIEmail, 2}},
			"Verwijderd: 2 e-mailadressen, 2 adressen, 1 datum, 2 links.",
			"Removed: 2 e-mail addresses, 2 addresses, 1 date, 2 links."},
		// Lists of two fields concatenated: repeated kinds are added up.
		{[]Redaction{{PIIPhone, 1}, {PIIPhone, 1}}, "Verwijderd: 2 telefoonnummers.", "Removed: 2 phone numbers."},
	}
	for _, tt := range tests {
		if got, want := DescribeRedactions(tt.rs, i18n.NL), tt.nl; got != want {
			t.Errorf("DescribeRedactions(%v, NL) = %q, want %q", tt.rs, got, want)
		}
		if got, want := DescribeRedactions(tt.rs, i18n.EN), tt.en; got != want {
			t.Errorf("DescribeRedactions(%v, EN) = %q, want %q", tt.rs, got, want)
		}
	}
}

func TestPrivacyMessagesExist(t *testing.T) {
	for _, k := range PIIKinds {
		for _, key := range []string{"privacy.marker." + string(k), "privacy.count." + string(k) + ".one", "privacy.count." + string(k) + ".other"} {
			if !i18n.Has(key) {
				t.Errorf("message %q missing", key)
			}
		}
	}
}

func TestElfproef(t *testing.T) {
	tests := []struct {
		bsn  string
		want bool
	}{
		{"123456782", true},
		{"111222333", true},
		{"234567892", true},
		{"304987657", true},
		{"182736453", true},
		{"098765437", true},
		{"000000012", true},
		{"123456789", false},
		{"111222334", false},
		{"987654321", false},
		{"100000000", false},
		{"000000000", false}, // passes the sum, but is no number
		{"12345678", false},  // eight digits
	}
	for _, tt := range tests {
		var d []int
		for _, c := range tt.bsn {
			d = append(d, int(c-'0'))
		}
		if got, want := elfproef(d), tt.want; got != want {
			t.Errorf("elfproef(%s) = %v, want %v", tt.bsn, got, want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want bool
	}{
		{"NL91ABNA0417164300", true},
		{"NL20INGB0001234567", true},
		{"NL44RABO0123456789", true},
		{"BE68539007547034", true},
		{"DE89370400440532013000", true},
		{"GB82WEST12345698765432", true},
		{"NL91ABNA0417164301", false},
		{"NL19ABNA0417164300", false},
		{"NL20INGB0001234576", false},
		{"GB82WEST12345698765423", false},
		{"NL00ABNA0417164300", false},
	}
	for _, tt := range tests {
		if got, want := validIBAN(tt.iban), tt.want; got != want {
			t.Errorf("validIBAN(%s) = %v, want %v", tt.iban, got, want)
		}
	}
}

// Ten thousand nine-digit numbers: exactly those passing the elfproef are
// removed, so the rule, not a pattern, decides.
func TestRedactBSNFollowsElfproef(t *testing.T) {
	for n := 123450000; n < 123460000; n++ {
		s := fmt.Sprintf("nr %09d.", n)
		var d []int
		for _, c := range s[3:12] {
			d = append(d, int(c-'0'))
		}
		_, rs := Redact(s, i18n.NL)
		if got, want := len(rs) == 1 && rs[0].Kind == PIIBSN, elfproef(d); got != want {
			t.Fatalf("Redact(%q) = %v, elfproef %v", s, rs, want)
		}
	}
}

// benchText is a 2,000-character workshop excerpt with a few identifiers.
var benchText = func() string {
	base := "Moeder vertelt dat ze in 2023 de huur van € 1.250,- niet kon betalen; 3 kinderen, " +
		"tussen 10 en 20% van het inkomen ging naar schulden. Op 12 maart hadden we een bijeenkomst " +
		"om 14:30 uur, o.a. met de wijkcoach. Ze is bereikbaar op 06-12345678 of via jan@voorbeeld.nl, " +
		"woont op 1234 AB 12 en is geboren op 3 januari 1985. Zie ook www.voorbeeld.nl/pagina. "
	var b strings.Builder
	for b.Len() < 2000 {
		b.WriteString(base)
	}
	return b.String()[:2000]
}()

func BenchmarkRedact(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Redact(benchText, i18n.NL)
	}
}

func BenchmarkRedactPlain(b *testing.B) {
	text := strings.Repeat("Hoe kunnen we gezinnen eerder helpen, voordat de schulden groeien? ", 30)[:2000]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text, i18n.NL)
	}
}

// BenchmarkRedactDigits is the adversarial case: 2,000 digits and
// separators, every position a candidate for several detectors.
func BenchmarkRedactDigits(b *testing.B) {
	text := strings.Repeat("0612 345 678-90.1 ", 120)[:2000]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text, i18n.NL)
	}
}

func FuzzRedact(f *testing.F) {
	for _, tt := range redactTests {
		f.Add(tt.in)
	}
	for _, in := range ordinaryTexts {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range i18n.Langs {
			out, rs := Redact(text, lang)
			if !utf8.ValidString(out) {
				t.Fatalf("Redact(%q) = %q: invalid UTF-8", text, out)
			}
			for _, r := range rs {
				if r.Count <= 0 {
					t.Fatalf("Redact(%q): count %d for %s", text, r.Count, r.Kind)
				}
				if got := strings.Count(out, r.Kind.Marker(lang)); got < r.Count {
					t.Fatalf("Redact(%q) = %q: %d %s markers, %d redactions", text, out, got, r.Kind, r.Count)
				}
			}
			again, rs2 := Redact(out, lang)
			if again != out || rs2 != nil {
				t.Fatalf("Redact(%q) = %q, but again gives %q, %v", text, out, again, rs2)
			}
			if len(rs) == 0 && utf8.ValidString(text) && out != text {
				t.Fatalf("Redact(%q) changed the text to %q without reporting", text, out)
			}
		}
	})
}
