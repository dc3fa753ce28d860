package sessions

import (
	"crypto/rand"
	"fmt"
	"math/big"

	"atelier/i18n"
)

// Colours and animals for pseudonyms: friendly, easy to say aloud in a room
// ("Blauwe Reiger, wat bedoelde je?"), and telling nothing about a person.
var (
	coloursNL = []string{"Blauwe", "Groene", "Oranje", "Paarse", "Rode", "Gele", "Roze", "Bruine", "Grijze", "Witte", "Zwarte", "Gouden", "Zilveren", "Turquoise"}
	animalsNL = []string{"Reiger", "Das", "Vos", "Egel", "Uil", "Otter", "Merel", "Haas", "Zwaluw", "Bever", "Eekhoorn", "Kikker", "Lepelaar", "Ooievaar", "Zeehond", "Kievit", "Mus", "Specht", "Hert", "Ree"}
	coloursEN = []string{"Blue", "Green", "Orange", "Purple", "Red", "Yellow", "Pink", "Brown", "Grey", "White", "Black", "Golden", "Silver", "Turquoise"}
	animalsEN = []string{"Heron", "Badger", "Fox", "Hedgehog", "Owl", "Otter", "Blackbird", "Hare", "Swallow", "Beaver", "Squirrel", "Frog", "Spoonbill", "Stork", "Seal", "Lapwing", "Sparrow", "Woodpecker", "Deer", "Roe"}
)

// pseudonym draws a colour and an animal; after many collisions in a large
// session it adds a number.
func pseudonym(lang i18n.Lang, try int) string {
	colours, animals := coloursNL, animalsNL
	if lang == i18n.EN {
		colours, animals = coloursEN, animalsEN
	}
	c := colours[randIntn(len(colours))]
	a := animals[randIntn(len(animals))]
	if try >= 5 {
		return fmt.Sprintf("%s %s %d", c, a, 2+randIntn(98))
	}
	return c + " " + a
}

func randIntn(n int) int {
	v, _ := rand.Int(rand.Reader, big.NewInt(int64(n)))
	return int(v.Int64())
}
