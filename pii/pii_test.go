package pii

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

func one(k Kind) []Redaction { return []Redaction{{Kind: k, Count: 1}} }

var (
	mEmail    = Email.Marker(i18n.NL)
	mPhone    = Phone.Marker(i18n.NL)
	mBSN      = BSN.Marker(i18n.NL)
	mIBAN     = IBAN.Marker(i18n.NL)
	mPostcode = Postcode.Marker(i18n.NL)
	mDate     = Birthdate.Marker(i18n.NL)
	mURL      = URL.Marker(i18n.NL)
)

var redactTests = []struct {
	name string
	in   string
	out  string
	want []Redaction
}{
	// e-mail
	{"email and phone", "Bel me op 06-12345678 of mail jan@voorbeeld.nl",
		"Bel me op " + mPhone + " of mail " + mEmail, []Redaction{{Email, 1}, {Phone, 1}}},
	{"email dotted", "Mail naar j.de.vries@gemeente-utrecht.nl.", "Mail naar " + mEmail + ".", one(Email)},
	{"email plus", "anna+atelier@voorbeeld.com, graag", mEmail + ", graag", one(Email)},
	{"email unicode", "mail José.Müller@bücher.de", "mail " + mEmail, one(Email)},
	{"email two", "a@b.nl en c@d.nl", mEmail + " en " + mEmail, []Redaction{{Email, 2}}},
	{"email bracketed at", "schrijf naar jan(at)voorbeeld.nl", "schrijf naar " + mEmail, one(Email)},
	{"email square at", "jan [at] voorbeeld [punt] nl", mEmail, one(Email)},
	{"email spelled", "mail jan at voorbeeld punt nl maar", "mail " + mEmail + " maar", one(Email)},
	{"email spelled en", "write john at example dot com", "write " + mEmail, one(Email)},
	{"email spaced", "mail jan @ voorbeeld . nl graag", "mail " + mEmail + " graag", one(Email)},
	{"email spaced at", "jan @ voorbeeld.nl. Daarna", mEmail + ". Daarna", one(Email)},
	{"email full-width at", "jan＠voorbeeld.nl", mEmail, one(Email)},
	{"email full-width", "ｊａｎ＠ｖｏｏｒｂｅｅｌｄ．ｎｌ", mEmail, one(Email)},
	{"email small at", "jan﹫voorbeeld.nl", mEmail, one(Email)},
	{"email zero-width", "jan@\u200bvoorbeeld.nl", mEmail, one(Email)},
	{"email defanged", "jan[at]voorbeeld[.]nl", mEmail, one(Email)},
	{"email defanged round", "jan(at)voorbeeld(dot)nl!", mEmail + "!", one(Email)},

	// phone
	{"mobile spaced", "06 1234 5678", mPhone, one(Phone)},
	{"mobile plain", "nummer: 0612345678.", "nummer: " + mPhone + ".", one(Phone)},
	{"mobile pairs", "06-12 34 56 78", mPhone, one(Phone)},
	{"mobile spaced hyphen", "06 - 12345678", mPhone, one(Phone)},
	{"mobile +31", "app +31 6 12345678", "app " + mPhone, one(Phone)},
	{"mobile +31 plain", "+31612345678", mPhone, one(Phone)},
	{"mobile 0031", "0031 6 1234 5678", mPhone, one(Phone)},
	{"mobile +31 (0)", "+31 (0)6 12 34 56 78", mPhone, one(Phone)},
	{"landline 020", "020-1234567", mPhone, one(Phone)},
	{"landline 010", "tel. 010 123 4567", "tel. " + mPhone, one(Phone)},
	{"landline 0591", "0591-123456", mPhone, one(Phone)},
	{"landline brackets", "(020) 123 45 67", mPhone, one(Phone)},
	{"landline brackets 4", "(0591) 12 34 56", mPhone, one(Phone)},
	{"landline +31", "+31 20 123 4567", mPhone, one(Phone)},
	{"foreign", "+32 470 12 34 56", mPhone, one(Phone)},
	{"two phones slash", "0612345678/0201234567", mPhone + "/" + mPhone, []Redaction{{Phone, 2}}},
	{"mobile dots", "bel 06.12.34.56.78.", "bel " + mPhone + ".", one(Phone)},
	{"mobile +31 dots", "+31.6.12.34.56.78", mPhone, one(Phone)},
	{"landline dots", "020.123.45.67", mPhone, one(Phone)},
	{"mobile en dash", "06–12345678", mPhone, one(Phone)},
	{"mobile em dash spaced", "06 — 12 34 56 78", mPhone, one(Phone)},
	{"mobile minus sign", "06−12345678", mPhone, one(Phone)},
	{"mobile full-width", "bel ０６－１２３４５６７８ nu", "bel " + mPhone + " nu", one(Phone)},
	{"mobile arabic-indic", "رقم ٠٦١٢٣٤٥٦٧٨", "رقم " + mPhone, one(Phone)},
	{"mobile devanagari", "०६१२३४५६७८", mPhone, one(Phone)},
	{"mobile zero-width", "06\u200b1234\u200b5678", mPhone, one(Phone)},
	{"mobile soft hyphen", "06\u00ad12345678", mPhone, one(Phone)},
	{"mobile word joiner", "06\u2060 12 34 56 78", mPhone, one(Phone)},
	{"mobile no-break", "06\u00a012\u00a034\u00a056\u00a078", mPhone, one(Phone)},
	{"mobile narrow no-break", "06\u202f1234\u202f5678", mPhone, one(Phone)},
	{"mobile double spaces", "06  12  34  56  78 thuis", mPhone + " thuis", one(Phone)},

	// BSN
	{"bsn plain", "BSN 123456782 van moeder", "BSN " + mBSN + " van moeder", one(BSN)},
	{"bsn dots", "bsn: 111.222.333", "bsn: " + mBSN, one(BSN)},
	{"bsn spaces", "234 567 892", mBSN, one(BSN)},
	{"bsn official", "3049.87.657", mBSN, one(BSN)},
	{"bsn leading zero", "098765437", mBSN, one(BSN)},
	{"bsn dots 4-2-3 mixed", "1112.22-333", "1112.22-333", nil},
	{"bsn glued", "bsn123456782", "bsn123456782", nil},
	{"bsn 4-2-3 spaces", "bsn 1112 22 333 van", "bsn " + mBSN + " van", one(BSN)},
	{"bsn 4-2-3 hyphens", "1112-22-333", mBSN, one(BSN)},
	{"bsn eight digits", "bsn 12345672, zonder nul", "bsn " + mBSN + ", zonder nul", one(BSN)},
	{"bsn full-width", "ＢＳＮ １２３４５６７８２", "ＢＳＮ " + mBSN, one(BSN)},
	{"bsn zero-width", "123\u200b456\u200b782", mBSN, one(BSN)},

	// IBAN
	{"iban spaced", "Maak over naar NL91 ABNA 0417 1643 00 graag", "Maak over naar " + mIBAN + " graag", one(IBAN)},
	{"iban plain", "NL20INGB0001234567", mIBAN, one(IBAN)},
	{"iban lower", "rekening nl44rabo0123456789.", "rekening " + mIBAN + ".", one(IBAN)},
	{"iban be", "BE68 5390 0754 7034", mIBAN, one(IBAN)},
	{"iban de", "DE89 3704 0044 0532 0130 00", mIBAN, one(IBAN)},
	{"iban gb", "GB82WEST12345698765432", mIBAN, one(IBAN)},

	// postcode with house number
	{"postcode house", "woont op 1234 AB 12", "woont op " + mPostcode, one(Postcode)},
	{"postcode attached suffix", "1234AB 12a", mPostcode, one(Postcode)},
	{"postcode lower comma", "1234ab, 5", mPostcode, one(Postcode)},
	{"postcode then word", "1234 AB 12 en verder", mPostcode + " en verder", one(Postcode)},
	{"house then postcode", "Kerkstraat 12, 1234 AB Amsterdam", "Kerkstraat " + mPostcode + " Amsterdam", one(Postcode)},
	{"postcode lower spaced", "woont op 1234 ab 12", "woont op " + mPostcode, one(Postcode)},
	{"postcode mixed case", "1234 Ab 12", mPostcode, one(Postcode)},
	{"postcode mixed attached", "1234aB 12", mPostcode, one(Postcode)},
	{"postcode hyphen", "1234-AB 12", mPostcode, one(Postcode)},
	{"postcode nr", "1234 AB nr 12", mPostcode, one(Postcode)},
	{"postcode nr dot", "1234AB nr. 12a.", mPostcode + ".", one(Postcode)},
	{"postcode comma nr", "1234 ab, nr. 5", mPostcode, one(Postcode)},
	{"postcode double space", "1234  AB  12", mPostcode, one(Postcode)},
	{"postcode no-break", "1234\u00a0AB\u00a012", mPostcode, one(Postcode)},
	{"house then postcode lower", "Dorpsweg 3, 1234 ab Ons Dorp", "Dorpsweg " + mPostcode + " Ons Dorp", one(Postcode)},

	// dates that look like birth dates
	{"date dashes", "geboren 12-03-1985", "geboren " + mDate, one(Birthdate)},
	{"date slashes", "3/1/2011", mDate, one(Birthdate)},
	{"date two digit year", "12.03.85", mDate, one(Birthdate)},
	{"date iso", "1985-03-12", mDate, one(Birthdate)},
	{"date words", "zij is op 12 maart 1985 geboren", "zij is op " + mDate + " geboren", one(Birthdate)},
	{"date words 2", "3 januari 2011", mDate, one(Birthdate)},
	{"date abbrev", "1 okt. 1990", mDate, one(Birthdate)},
	{"date english", "born March 12, 1985", "born " + mDate, one(Birthdate)},
	{"date english 2", "12th of", "12th of", nil},
	{"date 1900", "1 januari 1900", mDate, one(Birthdate)},
	{"date short year one-digit month", "geboren 12-3-15", "geboren " + mDate, one(Birthdate)},
	{"date short year one-digit day", "3.12.15", mDate, one(Birthdate)},
	{"date eight digits", "geb. 12032015", "geb. " + mDate, one(Birthdate)},
	{"date eight digits iso", "20150312", mDate, one(Birthdate)},
	{"date words apostrophe", "1 januari '15", mDate, one(Birthdate)},
	{"date words curly apostrophe", "op 1 jan. ’15 geboren", "op " + mDate + " geboren", one(Birthdate)},
	{"date english apostrophe", "March 12, '85", mDate, one(Birthdate)},
	{"date full-width", "１２-０３-１９８５", mDate, one(Birthdate)},
	{"date en dash", "12–03–1985", mDate, one(Birthdate)},

	// URLs
	{"url https", "zie https://www.example.org/pad?x=1.", "zie " + mURL + ".", one(URL)},
	{"url www", "op www.janssen-familie.nl staat", "op " + mURL + " staat", one(URL)},
	{"url bare path", "facebook.com/naam", mURL, one(URL)},
	{"url in parens", "(zie instagram.com/anna)", "(zie " + mURL + ")", one(URL)},
	{"url with email", "https://x.nl/?mail=jan@voorbeeld.nl", mURL, one(URL)},
	{"url bare domain", "zie jansen-gezin.nl voor foto's", "zie " + mURL + " voor foto's", one(URL)},
	{"url bare domain end", "Onze site: jansen-gezin.nl.", "Onze site: " + mURL + ".", one(URL)},
	{"url bare domain upper", "JANSEN.NL", mURL, one(URL)},
	{"url bare subdomain", "foto.jansen.com", mURL, one(URL)},
	{"url organisation domain", "kijk op gemeente.nl of rijksoverheid.nl", "kijk op " + mURL + " of " + mURL, []Redaction{{URL, 2}}},
	{"url spoken at domain", "kijk at website.nl", "kijk at " + mURL, one(URL)},
	{"url defanged scheme", "hxxps://jansen-gezin.nl/foto", mURL, one(URL)},
	{"url defanged dot", "jansen-gezin[.]nl", mURL, one(URL)},
	{"url defanged both", "hxxp[://]www[.]jansen[.]nl", mURL, one(URL)},
	{"url full-width", "ｗｗｗ．ｊａｎｓｅｎ．ｎｌ", mURL, one(URL)},

	// several
	{"mixed", "Moeder (BSN 123456782), 06-12345678, 1234 AB 12, geb. 3-1-1985, NL91ABNA0417164300, www.x.nl",
		"Moeder (BSN " + mBSN + "), " + mPhone + ", " + mPostcode + ", geb. " + mDate + ", " + mIBAN + ", " + mURL,
		[]Redaction{{Phone, 1}, {BSN, 1}, {IBAN, 1}, {Postcode, 1}, {Birthdate, 1}, {URL, 1}}},
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
	"ouders.Vaak/soms",
	"we zijn klaar.Nu verder",
	"dat hebben we gedaan.nu moeten we",
	"bestand rapport.pdf en data.csv",
	"o.a. het plan.De rest",
	"123456789",     // fails the elfproef
	"123.456.789",   // idem
	"000000000",     // all zeros
	"€ 123.456.782", // an amount, even though it passes the elfproef
	"12345678",      // eight digits failing the elfproef
	"€ 12345672",    // an amount, even though it passes with a leading zero
	"12-03",         // no year
	"1-2-10",        // both one digit and a short year: a score
	"in 2015 en 2016",
	"1500 km 3 keer",
	"in 2019 ze 3 keer",
	"2024 op 12 plekken",
	"rond 2000 mb 4 keer",
	"45%",
	"12,5 %",
	"€ 1.234,56",
	"EUR 250",
	"om 9.30 uur en 14:45",
	"1.000.000",
	"2024-2025",
	"15-20 mensen, 3 à 4 uur",
	"06 12 34", // too short for a phone number
	"Hoofdstuk 3.2.1 en 4.1",
	"[at] thuis",         // a bracketed at without an address
	"hxxp is geen woord", // no "://" after it
	"ze zat (at) home, zei ze",
	"bij het 1234 AB-team",
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
	if want := "a\uFFFDb " + mPhone; got != want || !reflect.DeepEqual(rs, one(Phone)) {
		t.Errorf("Redact = %q, %v; want %q", got, rs, want)
	}
}

func TestMarker(t *testing.T) {
	tests := []struct {
		kind   Kind
		nl, en string
	}{
		{Email, "[e-mailadres verwijderd]", "[e-mail address removed]"},
		{Phone, "[telefoonnummer verwijderd]", "[phone number removed]"},
		{BSN, "[BSN verwijderd]", "[citizen service number removed]"},
		{IBAN, "[rekeningnummer verwijderd]", "[bank account number removed]"},
		{Postcode, "[adres verwijderd]", "[address removed]"},
		{Birthdate, "[datum verwijderd]", "[date removed]"},
		{URL, "[link verwijderd]", "[link removed]"},
	}
	if got, want := len(tests), len(Kinds); got != want {
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
		for _, k := range Kinds {
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
		{[]Redaction{{Email, 0}}, "", ""},
		{[]Redaction{{Email, 1}, {Phone, 2}},
			"Verwijderd: 1 e-mailadres, 2 telefoonnummers.", "Removed: 1 e-mail address, 2 phone numbers."},
		{[]Redaction{{Phone, 1}}, "Verwijderd: 1 telefoonnummer.", "Removed: 1 phone number."},
		{[]Redaction{{BSN, 1}, {IBAN, 3}}, "Verwijderd: 1 BSN, 3 rekeningnummers.",
			"Removed: 1 citizen service number, 3 bank account numbers."},
		{[]Redaction{{BSN, 2}, {IBAN, 1}}, "Verwijderd: 2 BSN's, 1 rekeningnummer.",
			"Removed: 2 citizen service numbers, 1 bank account number."},
		{[]Redaction{{Postcode, 1}, {Birthdate, 2}, {URL, 1}}, "Verwijderd: 1 adres, 2 datums, 1 link.",
			"Removed: 1 address, 2 dates, 1 link."},
		{[]Redaction{{Postcode, 2}, {Birthdate, 1}, {URL, 2}, {Email, 2}},
			"Verwijderd: 2 e-mailadressen, 2 adressen, 1 datum, 2 links.",
			"Removed: 2 e-mail addresses, 2 addresses, 1 date, 2 links."},
		// Lists of two fields concatenated: repeated kinds are added up.
		{[]Redaction{{Phone, 1}, {Phone, 1}}, "Verwijderd: 2 telefoonnummers.", "Removed: 2 phone numbers."},
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
	for _, k := range Kinds {
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
		if got, want := len(rs) == 1 && rs[0].Kind == BSN, elfproef(d); got != want {
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

// BenchmarkRedactUnicode is a text that takes the slow path of normalize:
// full-width digits, no-break spaces and zero-width characters throughout.
func BenchmarkRedactUnicode(b *testing.B) {
	text := strings.Repeat("Bel ０６－１２３４５６７８\u00a0of mail jan＠voorbeeld.nl\u200b; woont op 1234\u00a0AB\u00a012. ", 40)
	text = string([]rune(text)[:1000]) // about 2,000 bytes
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text, i18n.NL)
	}
}

func BenchmarkNames(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Names(benchText)
	}
}
