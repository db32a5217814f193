package snapconversionsapi

// Tables the normalisation reads. They are facts (ISO 4217 codes Snap
// accepts, US state and country names with their codes), kept as data.

// currencies are the ISO 4217 codes Snap accepts for custom_data.currency.
var currencies = map[string]bool{
	"USD": true, "AED": true, "AUD": true, "BGN": true, "BRL": true, "CAD": true, "CHF": true, "CLP": true,
	"CNY": true, "COP": true, "CZK": true, "DKK": true, "EGP": true, "EUR": true, "GBP": true, "GIP": true,
	"HKD": true, "HRK": true, "HUF": true, "IDR": true, "ILS": true, "INR": true, "JPY": true, "KRW": true,
	"KWD": true, "KZT": true, "LBP": true, "MXN": true, "MYR": true, "NGN": true, "NOK": true, "NZD": true,
	"PEN": true, "PHP": true, "PKR": true, "PLN": true, "QAR": true, "RON": true, "RUB": true, "SAR": true,
	"SEK": true, "SGD": true, "THB": true, "TRY": true, "TWD": true, "TZS": true, "UAH": true, "VND": true,
	"ZAR": true, "ALL": true, "BHD": true, "DZD": true, "GHS": true, "IQD": true, "ISK": true, "JOD": true,
	"KES": true, "MAD": true, "OMR": true, "XOF": true,
}

// usStates maps normalised (lower-case, no spaces) US state names to codes.
var usStates = map[string]string{
	"arizona": "az", "alabama": "al", "alaska": "ak", "arkansas": "ar", "california": "ca", "colorado": "co",
	"connecticut": "ct", "delaware": "de", "florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id",
	"illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
	"maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi", "minnesota": "mn",
	"mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv",
	"newhampshire": "nh", "newjersey": "nj", "newmexico": "nm", "newyork": "ny", "northcarolina": "nc",
	"northdakota": "nd", "ohio": "oh", "oklahoma": "ok", "oregon": "or", "pennsylvania": "pa",
	"rhodeisland": "ri", "southcarolina": "sc", "southdakota": "sd", "tennessee": "tn", "texas": "tx",
	"utah": "ut", "vermont": "vt", "virginia": "va", "washington": "wa", "westvirginia": "wv",
	"wisconsin": "wi", "wyoming": "wy",
}

// countries maps normalised (lower-case, no spaces) country names to ISO
// 3166-1 alpha-2 codes, as Snap's integration spells them.
var countries = map[string]string{
	"afghanistan": "af", "alandislands": "ax", "albania": "al", "algeria": "dz", "americansamoa": "as",
	"andorra": "ad", "angola": "ao", "anguilla": "ai", "antarctica": "aq", "antiguaandbarbuda": "ag",
	"argentina": "ar", "armenia": "am", "aruba": "aw", "australia": "au", "austria": "at", "azerbaijan": "az",
	"bahamas": "bs", "bahrain": "bh", "bangladesh": "bd", "barbados": "bb", "belarus": "by", "belgium": "be",
	"belize": "bz", "benin": "bj", "bermuda": "bm", "bhutan": "bt", "bolivia": "bo",
	"bosniaandherzegovina": "ba", "botswana": "bw", "bouvetisland": "bv", "brazil": "br",
	"britishindianoceanterritory": "io", "bruneidarussalam": "bn", "bulgaria": "bg", "burkinafaso": "bf",
	"burundi": "bi", "cambodia": "kh", "cameroon": "cm", "canada": "ca", "capeverde": "cv",
	"caymanislands": "ky", "centralafricanrepublic": "cf", "chad": "td", "chile": "cl", "china": "cn",
	"christmasisland": "cx", "cocos(keeling)islands": "cc", "colombia": "co", "comoros": "km", "congo": "cg",
	"congo,democraticrepublic": "cd", "cookislands": "ck", "costarica": "cr", "coted'ivoire": "ci",
	"croatia": "hr", "cuba": "cu", "cyprus": "cy", "czechrepublic": "cz", "denmark": "dk", "djibouti": "dj",
	"dominica": "dm", "dominicanrepublic": "do", "ecuador": "ec", "egypt": "eg", "elsalvador": "sv",
	"equatorialguinea": "gq", "eritrea": "er", "estonia": "ee", "ethiopia": "et",
	"falklandislands(malvinas)": "fk", "faroeislands": "fo", "fiji": "fj", "finland": "fi", "france": "fr",
	"frenchguiana": "gf", "frenchpolynesia": "pf", "frenchsouthernterritories": "tf", "gabon": "ga",
	"gambia": "gm", "georgia": "ge", "germany": "de", "ghana": "gh", "gibraltar": "gi", "greece": "gr",
	"greenland": "gl", "grenada": "gd", "guadeloupe": "gp", "guam": "gu", "guatemala": "gt", "guernsey": "gg",
	"guinea": "gn", "guinea-bissau": "gw", "guyana": "gy", "haiti": "ht", "heardisland&mcdonaldislands": "hm",
	"holysee(vaticancitystate)": "va", "honduras": "hn", "hongkong": "hk", "hungary": "hu", "iceland": "is",
	"india": "in", "indonesia": "id", "iran,islamicrepublicof": "ir", "iraq": "iq", "ireland": "ie",
	"isleofman": "im", "israel": "il", "italy": "it", "jamaica": "jm", "japan": "jp", "jersey": "je",
	"jordan": "jo", "kazakhstan": "kz", "kenya": "ke", "kiribati": "ki", "korea": "kr", "kuwait": "kw",
	"kyrgyzstan": "kg", "laopeople'sdemocraticrepublic": "la", "latvia": "lv", "lebanon": "lb", "lesotho": "ls",
	"liberia": "lr", "libyanarabjamahiriya": "ly", "liechtenstein": "li", "lithuania": "lt", "luxembourg": "lu",
	"macao": "mo", "macedonia": "mk", "madagascar": "mg", "malawi": "mw", "malaysia": "my", "maldives": "mv",
	"mali": "ml", "malta": "mt", "marshallislands": "mh", "martinique": "mq", "mauritania": "mr",
	"mauritius": "mu", "mayotte": "yt", "mexico": "mx", "micronesia,federatedstatesof": "fm", "moldova": "md",
	"monaco": "mc", "mongolia": "mn", "montenegro": "me", "montserrat": "ms", "morocco": "ma",
	"mozambique": "mz", "myanmar": "mm", "namibia": "na", "nauru": "nr", "nepal": "np", "netherlands": "nl",
	"netherlandsantilles": "an", "newcaledonia": "nc", "newzealand": "nz", "nicaragua": "ni", "niger": "ne",
	"nigeria": "ng", "niue": "nu", "norfolkisland": "nf", "northernmarianaislands": "mp", "norway": "no",
	"oman": "om", "pakistan": "pk", "palau": "pw", "palestinianterritory,occupied": "ps", "panama": "pa",
	"papuanewguinea": "pg", "paraguay": "py", "peru": "pe", "philippines": "ph", "pitcairn": "pn",
	"poland": "pl", "portugal": "pt", "puertorico": "pr", "qatar": "qa", "reunion": "re", "romania": "ro",
	"russianfederation": "ru", "rwanda": "rw", "saintbarthelemy": "bl", "sainthelena": "sh",
	"saintkittsandnevis": "kn", "saintlucia": "lc", "saintmartin": "mf", "saintpierreandmiquelon": "pm",
	"saintvincentandgrenadines": "vc", "samoa": "ws", "sanmarino": "sm", "saotomeandprincipe": "st",
	"saudiarabia": "sa", "senegal": "sn", "serbia": "rs", "seychelles": "sc", "sierraleone": "sl",
	"singapore": "sg", "slovakia": "sk", "slovenia": "si", "solomonislands": "sb", "somalia": "so",
	"southafrica": "za", "southgeorgiaandsandwichisl.": "gs", "spain": "es", "srilanka": "lk", "sudan": "sd",
	"suriname": "sr", "svalbardandjanmayen": "sj", "swaziland": "sz", "sweden": "se", "switzerland": "ch",
	"syrianarabrepublic": "sy", "taiwan": "tw", "tajikistan": "tj", "tanzania": "tz", "thailand": "th",
	"timor-leste": "tl", "togo": "tg", "tokelau": "tk", "tonga": "to", "trinidadandtobago": "tt",
	"tunisia": "tn", "turkey": "tr", "turkmenistan": "tm", "turksandcaicosislands": "tc", "tuvalu": "tv",
	"uganda": "ug", "ukraine": "ua", "unitedarabemirates": "ae", "unitedkingdom": "gb", "unitedstates": "us",
	"unitedstatesoutlyingislands": "um", "uruguay": "uy", "uzbekistan": "uz", "vanuatu": "vu",
	"venezuela": "ve", "vietnam": "vn", "virginislands,british": "vg", "virginislands,u.s.": "vi",
	"wallisandfutuna": "wf", "westernsahara": "eh", "yemen": "ye", "zambia": "zm", "zimbabwe": "zw",
}
