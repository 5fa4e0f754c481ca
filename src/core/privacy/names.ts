/**
 * Small lexicons of common given names and surnames, used as value evidence by the person-name
 * PII detector. They are deliberately small (hundreds of entries, lower case, ASCII): the detector
 * only needs a sizeable share of a column's sampled values to hit them, not every name. Drawn from
 * the most frequent names in US Social Security Administration birth-name and US Census surname
 * tables, plus common Hispanic, European and African-American names.
 */

const GIVEN = `
aaron abigail adam adrian aisha alan albert alberto alejandro alex alexander alexandra alexis alfred alfredo
alice alicia alison allen alma alvin amanda amber amy ana andre andrea andres andrew angel angela angelica
angie anita ann anna anne annie anthony antonio april arthur ashley audrey austin barbara barry beatrice
ben benjamin bernard beth betty beverly bill billy bobby bonnie brad bradley brandon brenda brendan brian
brittany bruce bryan byron calvin cameron carl carla carlos carmen carol caroline carolyn carrie casey
cassandra catherine cedric cesar chad charlene charles charlie charlotte cheryl chris christian christina
christine christopher cindy claire clarence claudia clifford clinton cody colleen connie corey courtney
craig crystal curtis cynthia daisy dale damon dan dana daniel danielle danny darius darnell darrell darren
darryl dave david dawn dean deborah debra demetrius denise dennis derek derrick desiree destiny devin diana
diane diego dolores dominic don donald donna doris dorothy douglas duane dustin dwayne dylan earl eddie
edgar eduardo edward edwin eileen elaine elena elijah elizabeth ella ellen emily emma enrique eric erica
erik erin ernest esther ethan eugene eva evelyn felicia felix fernando frances francis francisco frank
franklin fred frederick gabriel gabriela gail gary gene george georgia gerald gilbert gina gladys glen
glenda glenn gloria gordon grace greg gregory guadalupe gustavo hannah harold harry hazel heather hector
heidi helen henry herbert herman holly howard hugo ian irene iris isaac isabel isabella ivan jack jackie
jacob jacqueline jake jamal james jamie jane janet janice jared jasmine jason javier jay jean jeffery
jeffrey jenna jennifer jenny jeremiah jeremy jerome jerry jesse jessica jesus jill jim jimmy jo joan joann
joanne joe joel john johnny jonathan jordan jorge jose joseph josephine joshua joy joyce juan juanita judith
judy julia julian julie julio justin kaitlyn karen karl katherine kathleen kathryn kathy katie kayla keith
kelly kelvin ken kendra kenneth kevin kim kimberly kirk kristen kristin kyle lamar lance larry latasha
latoya laura lauren laurie lawrence leah lee leon leonard leroy leslie lester lillian linda lindsay lisa
lloyd logan lois lonnie lori lorraine louis louise lucas lucia lucy luis luke lydia lynn malik mandy manuel
marc marcia marco marcus margaret maria marie marilyn mario marion marjorie mark marlon marsha martha martin
marvin mary mason matthew maureen maurice max megan melanie melissa melvin mercedes michael michele michelle
miguel mike mildred miranda misty mitchell monica monique morgan nancy naomi natalie natasha nathan
nathaniel neil nelson nicholas nichole nicole noah norma norman olivia omar oscar pablo pamela patricia
patrick paul paula pauline pedro peggy penny perry peter philip phillip phyllis priscilla rachel rafael
ralph ramon randall randy raquel ray raymond rebecca regina reginald renee ricardo richard rick ricky
rita robert roberta roberto robin rodney roger roland ronald ronnie rosa rose rosemary ross roy ruben ruby
russell ruth ryan sabrina sally samantha samuel sandra sara sarah scott sean sergio seth shane shannon
sharon shawn sheila shelby shelly sherry shirley sonia sophia stacey stacy stanley stephanie stephen steve
steven sue susan suzanne sydney sylvia tamara tammy tanya tara teresa terrance terrell terry thelma theodore
theresa thomas tiffany tim timothy tina todd tommy toni tony tracy travis trevor troy tyler tyrone valerie
vanessa vernon veronica vicki victor victoria vincent virginia walter wanda warren wayne wendy wesley
whitney william willie wilma yolanda yvonne zachary
deandre deshawn jermaine tremaine marquis antoine lashawn keisha tanisha shanice jalen kareem rasheed
alejandra araceli beatriz consuelo esperanza graciela leticia marisol rocio yesenia armando arturo ernesto
guillermo jaime joaquin mauricio rodrigo salvador santiago
`;

const FAMILY = `
adams aguilar alexander allen alvarez anderson bailey baker barnes bell bennett brooks brown bryant butler
campbell carter castillo castro chavez clark coleman collins cook cooper cox cruz davis diaz dixon edwards
evans fisher flores ford foster garcia gibson gomez gonzales gonzalez gordon graham gray green griffin
gutierrez hall hamilton harris harrison hayes henderson hernandez herrera hill holmes howard hughes hunt
jackson james jenkins jimenez johnson jones jordan kelly kennedy kim king lee lewis long lopez marshall
martin martinez mason mcdonald medina mendoza meyer miller mitchell moore morales moreno morgan morris
murphy murray myers nelson nguyen ortiz owens palmer parker patel patterson perez perry peterson phillips
powell price ramirez ramos reed reyes reynolds richardson rivera roberts robinson rodriguez rogers romero
ross ruiz russell sanchez sanders schmidt scott shaw simmons smith snyder stewart stone sullivan taylor
thomas thompson torres tran tucker turner vargas vasquez walker wallace ward warren washington watson
webb wells west white williams wilson wood woods wright young
`;

function toSet(text: string): ReadonlySet<string> {
  return new Set(text.split(/\s+/).filter((w) => w.length > 0));
}

/** Common given (first) names, lower case. */
export const GIVEN_NAMES: ReadonlySet<string> = toSet(GIVEN);

/** Common family names (surnames), lower case. */
export const FAMILY_NAMES: ReadonlySet<string> = toSet(FAMILY);
