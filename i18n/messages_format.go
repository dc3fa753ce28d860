package i18n

func init() { register(formatMessages) }

// formatMessages holds the words and layouts of dates (format.go). A layout
// takes the day, the month's name and the year as text, and for a time the
// clock as "14:05", so that a translation can reorder them.
var formatMessages = map[string]Text{
	"date.long":       {"%[1]d %[2]s %[3]s", "%[1]d %[2]s %[3]s"},
	"date.short_time": {"%[1]d %[2]s %[3]s, %[4]s", "%[1]d %[2]s %[3]s, %[4]s"},

	"month.1":  {"januari", "January"},
	"month.2":  {"februari", "February"},
	"month.3":  {"maart", "March"},
	"month.4":  {"april", "April"},
	"month.5":  {"mei", "May"},
	"month.6":  {"juni", "June"},
	"month.7":  {"juli", "July"},
	"month.8":  {"augustus", "August"},
	"month.9":  {"september", "September"},
	"month.10": {"oktober", "October"},
	"month.11": {"november", "November"},
	"month.12": {"december", "December"},

	"month.short.1":  {"jan", "Jan"},
	"month.short.2":  {"feb", "Feb"},
	"month.short.3":  {"mrt", "Mar"},
	"month.short.4":  {"apr", "Apr"},
	"month.short.5":  {"mei", "May"},
	"month.short.6":  {"jun", "Jun"},
	"month.short.7":  {"jul", "Jul"},
	"month.short.8":  {"aug", "Aug"},
	"month.short.9":  {"sep", "Sep"},
	"month.short.10": {"okt", "Oct"},
	"month.short.11": {"nov", "Nov"},
	"month.short.12": {"dec", "Dec"},
}
