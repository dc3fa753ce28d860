package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strconv"

	"atelier/exports"
)

// microdataHeader lists the columns of GenerateMicrodata.
var microdataHeader = []string{
	"synthetic", "household_id", "cluster", "household_type", "children", "income_source",
	"rent_arrears", "problematic_debt", "youth_care", "food_bank", "school_absence",
	"moves", "disposable_income", "region",
}

// latentGroup is one kind of household the generator draws from.
type latentGroup struct {
	cluster  string
	weight   float64
	htype    []string
	income   []string
	children [2]int  // range
	risks    float64 // base rate of problems
	euro     [2]float64
}

var latentGroups = []latentGroup{
	{"eenoudergezinnen in de bijstand", 0.18, []string{"eenoudergezin"}, []string{"bijstand", "bijstand", "werk"}, [2]int{1, 3}, 0.35, [2]float64{16000, 24000}},
	{"werkende gezinnen met krappe beurs", 0.20, []string{"paar met kinderen", "eenoudergezin"}, []string{"werk"}, [2]int{1, 4}, 0.15, [2]float64{26000, 38000}},
	{"alleenstaanden met schulden", 0.16, []string{"alleenstaand"}, []string{"uitkering", "werk", "bijstand"}, [2]int{0, 0}, 0.40, [2]float64{14000, 22000}},
	{"jonge gezinnen die vaak verhuizen", 0.12, []string{"paar met kinderen", "eenoudergezin"}, []string{"werk", "uitkering"}, [2]int{1, 2}, 0.25, [2]float64{20000, 30000}},
	{"gezinnen met jeugdzorg", 0.14, []string{"paar met kinderen", "eenoudergezin", "samengesteld gezin"}, []string{"werk", "uitkering"}, [2]int{1, 4}, 0.30, [2]float64{22000, 36000}},
	{"stabiele gezinnen", 0.18, []string{"paar met kinderen", "paar zonder kinderen"}, []string{"werk", "pensioen"}, [2]int{0, 3}, 0.05, [2]float64{34000, 60000}},
	// A deliberately small group, so that suppression shows.
	{"nieuwkomers zonder netwerk", 0.015, []string{"alleenstaand", "eenoudergezin"}, []string{"bijstand"}, [2]int{0, 2}, 0.45, [2]float64{13000, 18000}},
}

var regions = []string{"Noord", "Oost", "Zuid", "West", "Centrum"}

// GenerateMicrodata writes synthetic but plausible Dutch household
// microdata as CSV: a first comment line exports.SyntheticMarker, a header, and
// one row per household, every row with synthetic=1. Households are drawn
// from seven latent groups that become the cluster column; one group is
// kept under ten households so that suppression shows. The output depends
// only on households and seed.
func GenerateMicrodata(w io.Writer, households int, seed int64) error {
	if households < 1 || households > 1_000_000 {
		return fmt.Errorf("generate microdata: households must be between 1 and 1000000")
	}
	rng := rand.New(rand.NewSource(seed))
	if _, err := fmt.Fprintln(w, exports.SyntheticMarker); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(microdataHeader); err != nil {
		return err
	}
	smallLeft := 7 // the small group never reaches ten households
	yes := func(p float64) string {
		if rng.Float64() < p {
			return "ja"
		}
		return "nee"
	}
	pick := func(s []string) string { return s[rng.Intn(len(s))] }
	for h := 1; h <= households; h++ {
		var g latentGroup
		for {
			r := rng.Float64() * 1.0
			acc := 0.0
			for _, lg := range latentGroups {
				acc += lg.weight
				if r < acc {
					g = lg
					break
				}
			}
			if g.cluster == "" {
				g = latentGroups[0]
			}
			if g.cluster != latentGroups[len(latentGroups)-1].cluster {
				break
			}
			if smallLeft > 0 {
				smallLeft--
				break
			}
		}
		htype := pick(g.htype)
		children := g.children[0] + rng.Intn(g.children[1]-g.children[0]+1)
		if htype == "alleenstaand" || htype == "paar zonder kinderen" {
			children = 0
		} else if children == 0 {
			children = 1
		}
		risk := g.risks * (0.7 + 0.6*rng.Float64())
		absence := "nvt"
		if children > 0 {
			absence = yes(risk * 0.6)
		}
		income := g.euro[0] + rng.Float64()*(g.euro[1]-g.euro[0]) + float64(children)*1500
		income = math.Round(income/10) * 10
		rec := []string{
			"1", strconv.Itoa(h), g.cluster, htype, strconv.Itoa(children), pick(g.income),
			yes(risk), yes(risk * 0.9), yes(risk * 0.7), yes(risk * 0.5), absence,
			strconv.Itoa(rng.Intn(1 + int(risk*8))), strconv.FormatFloat(income, 'f', 0, 64), pick(regions),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
