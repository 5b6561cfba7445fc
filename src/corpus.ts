// The built-in corpus: original text written for this project (about 31 KB of plays,
// verse and prose about one small river town), so that `minrnn train` and the browser
// demo work with no file at hand.
export const corpus: string = `THE TOWN OF LANTERN REACH

Lantern Reach sits where the river Sallow grows wide and slow before it meets the sea. The houses are built of grey stone and painted shutters, and the streets run downhill so that every lane ends, sooner or later, at the water. On the far headland stands the Tall Light, a white tower with a red door, and in the middle of the town stands the clock on the old market hall, which has not agreed with the tide tables for forty years.

Margit keeps the Tall Light. Tobias mends the clocks on Bellwether Lane, and his apprentice Pell sweeps the shavings of brass from under the bench. Oda rows the ferry from the north bank to the south bank and back again, twelve times on a fair day and four times on a foul one. Hollis watches the weather from a little hut on the hill, with a glass that rises and falls and a book in which he writes down everything the sky has ever done. Bram bakes the bread, and he knows before anyone else when something has gone wrong, because nobody comes in for rolls.

These are their conversations, as near as anyone can remember them.

THE FIRST EVENING

MARGIT:
The lamp is trimmed and the glass is clean.
I have climbed the stair one hundred and nine times this week,
and every time I counted the steps
in case the tower had grown while I was sleeping.

ODA:
Has it grown?

MARGIT:
Not yet. But I keep a close watch on it.

ODA:
I brought you a loaf from Bram and a letter from your sister.
The loaf is warm. The letter is damp.
The river was in a mood this afternoon.

MARGIT:
The river is always in a mood. That is what rivers are for.
Sit down by the stove and tell me the news from the town.

ODA:
There is no news. The market clock struck eleven at noon,
and Tobias went up the ladder to scold it,
and Pell held the ladder and ate an apple,
and Hollis says the glass is falling.

MARGIT:
Hollis always says the glass is falling.

ODA:
This time he wrote it in red ink.

MARGIT:
Then we shall have weather.
Put another log on the fire, and leave the loaf where I can see it.

TOBIAS:
Pell, hand me the small screwdriver. No, the smaller one.
No, the one that is smaller than that.

PELL:
This one is so small I can hardly hold it.

TOBIAS:
Good. Then it is the right one.
A clock is a patient animal. It will tell you what is wrong with it
if you are quiet long enough to listen.

PELL:
What is this one telling you?

TOBIAS:
It says the spring is tired and the pendulum is proud,
and the two of them have not spoken since the winter.

PELL:
Can you make them friends again?

TOBIAS:
I can make them polite. Friendship takes longer.

HOLLIS:
Good evening, Tobias. Good evening, young Pell.
I have come to borrow a minute.

TOBIAS:
You may borrow as many as you like, Hollis,
so long as you bring them back wound.

HOLLIS:
The glass on the hill has dropped three lines since morning.
The gulls have come inland, and the cat at the inn
has been washing behind her ears all afternoon.

PELL:
Is that a sign?

HOLLIS:
Everything is a sign, if you write it down.
Tonight there will be wind from the west,
and tomorrow there will be rain from every direction at once.

TOBIAS:
Then I will close the shutters on the lane
and the clocks will have a quiet day.

HOLLIS:
Tell Oda to tie the ferry twice.

TOBIAS:
Oda ties the ferry three times. She does not need telling.

THE GLASS ON THE HILL

Up on the hill the weather glass
keeps track of every cloud that passes.
It rises when the sky is kind,
it falls when gales are on its mind.

Hollis sits beside it, pen in hand,
and writes the moods of sea and land:
the morning fog, the evening squall,
the quiet days, he notes them all.

And if you ask him why he writes,
through all the days and all the nights,
he taps the glass and shakes his head
and says, so someone will have read.

THE STORM

The wind came in the night exactly as Hollis had promised. It came over the sea in long grey ropes and tied itself around the Tall Light, and it pulled at the shutters on Bellwether Lane, and it lifted the tiles on the bakery roof one by one as if it were counting them. By morning the river Sallow had turned the colour of strong tea, and the ferry rocked against its three ropes like a dog that wants to go for a walk.

ODA:
No crossing today. Not for the mayor, not for the post,
not for anybody's grandmother.

BRAM:
I have forty loaves for the south bank.

ODA:
Then the south bank will eat tomorrow.
The river is faster than it looks,
and it looks very fast.

BRAM:
They will be stale by tomorrow.

ODA:
Stale bread is still bread, Bram.
Drowned bread is soup, and nobody ordered soup.

BRAM:
You have a hard heart, Oda.

ODA:
I have a hard boat. It is not the same thing.
Come inside the ferry house and we will watch the water together.
If it slows by noon, I will take you across myself.

BRAM:
And if it does not?

ODA:
Then we will eat the forty loaves,
and you will bake forty more.

MARGIT:
Pell! What are you doing on the headland in this weather?

PELL:
Master Tobias sent me. He says the lamp clock
is running three minutes fast, and in a storm
three minutes is the difference between a light and a rock.

MARGIT:
He is right, though I would not tell him so.
Come up the stair. Hold the rail. Count the steps.

PELL:
One, two, three, four...

MARGIT:
Count quietly. The tower is listening.

PELL:
One hundred and nine. Is that all of them?

MARGIT:
It was yesterday. Here is the clock.
It turns the lens, and the lens throws the light,
and the light goes out across the water
and tells every boat where the land begins.

PELL:
I can see the beam. It looks like a broom
sweeping the dark off the sea.

MARGIT:
That is exactly what it is.
Now open the little door and do what Tobias told you.

PELL:
He said to turn the brass wheel one tooth back,
and then to wait, and then to listen.

MARGIT:
And what do you hear?

PELL:
The wind. The sea. The clock.
And your kettle, which is boiling.

MARGIT:
Then the clock is fixed and the tea is ready.
That is a good night's work for anyone.

HOLLIS:
Rain from the west, from the south, from the north.
Rain from the east, which has not happened since the year of the flood.
Rain that falls upward off the roofs.
I have written four pages and the day is only half over.

TOBIAS:
Come in out of it, Hollis. You are dripping on the clocks.

HOLLIS:
Clocks do not mind water.

TOBIAS:
Clocks mind water more than anything in the world
except for sand, and children, and being dropped.

HOLLIS:
Then I will stand by the door.
Has Pell come back from the headland?

TOBIAS:
Not yet. Margit will have given him tea.
Margit gives everyone tea. It is how she keeps the tower warm.

HOLLIS:
The glass has stopped falling. It has not begun to rise,
but it has stopped, and that is the first good news since Tuesday.

TOBIAS:
Write it in green ink, then.

HOLLIS:
I do not have green ink.

TOBIAS:
I will make you some. There is a bottle of it somewhere
behind the cuckoo clock that only sings on Sundays.

SONG OF THE FERRY ROPE

One rope for the morning,
one rope for the night,
one rope for the river
when the river wants to fight.

Pull the boat in slowly,
let the water run,
the far bank will be waiting
when the storm is done.

One knot for the sailor,
one knot for the cat,
one knot for the baker
and his flour-covered hat.

Tie it tight, Oda,
tie it once again,
the river keeps its promises
but only now and then.

AFTER THE RAIN

On the third morning the sky was washed and empty, and the whole town came out to look at it. The gutters were still talking to themselves, and the river was brown and busy, but the wind had gone back to wherever winds go. Hollis walked down from the hill with his book under his arm, and he stopped at every door to say that the glass was rising, as if he had raised it himself.

BRAM:
Hollis! The first roll of the day is yours.
You earned it with all that bad news.

HOLLIS:
I did not make the weather, Bram. I only wrote it down.

BRAM:
All the same, you were right, and being right is hungry work.
Take two. Take one for Oda, she crossed at dawn.

HOLLIS:
Did she? The water is still high.

BRAM:
She said the river had apologised.
She said it very quietly, so I did not argue.

ODA:
Mind the step, Margit. The boards are wet.

MARGIT:
I have been minding steps all my life.
One more will not trouble me.

ODA:
You came down from the tower. You never come down from the tower.

MARGIT:
The lamp does not need me in daylight,
and I wanted to see the town after the storm.
Did everything blow away?

ODA:
Only the bakery tiles, and the sign from the inn,
and the hat of the man who sells onions.
The sign was found in a tree. The hat was not found.

MARGIT:
Perhaps the hat went to sea. Perhaps it is a boat now.

ODA:
Then I hope it has a good keeper,
and a better ferrywoman.

MARGIT:
There is no better ferrywoman. Row on, Oda.

PELL:
Master Tobias, may I ask a question?

TOBIAS:
You may ask. I cannot promise to answer.

PELL:
Why does the market clock never tell the right time?

TOBIAS:
Because nobody has ever agreed on what the right time is.
The fishermen want it to follow the tide.
The schoolmaster wants it to follow the sun.
The mayor wants it to follow the mayor.
So the clock tries to please all of them,
and it pleases none.

PELL:
Could you not just set it right?

TOBIAS:
I could set it to one of them. Then the other two would be cross,
and they would come to the shop and tell me so,
and I would get no work done for a month.
It is easier to let the clock be wrong.
A wrong clock is a thing people can agree about.

PELL:
That seems a strange way to mend a clock.

TOBIAS:
It is a very good way to mend a town.

THE CLOCKMAKER AT NIGHT

When all the lamps on the lane are out
and the river has nothing left to say,
Tobias sits with a candle and a glass
and listens to the shop.

Forty clocks, and each one slightly different,
a quarter of a second here, a breath there,
ticking like rain on forty different roofs.
He knows them by their voices.

The tall one in the corner limps.
The little gold one hurries, like a child.
The one with the painted moon
keeps time with nobody but itself.

He does not wind them all at once.
He winds them one by one, and says goodnight,
and when the last one chimes
he blows the candle out.

THE MAYOR'S VISIT

The mayor of Lantern Reach is a round, kind, worried man named Alder Finch, who wears a chain of office that is too heavy for him and a hat that is too small. He believes that every problem can be solved by a committee, and so far the town has not had the heart to tell him otherwise.

FINCH:
Tobias, I have come about the market clock.

TOBIAS:
Everybody comes about the market clock, Mayor Finch.

FINCH:
The committee has decided that it should be correct.

TOBIAS:
Correct according to whom?

FINCH:
According to the committee.

TOBIAS:
And what time does the committee keep?

FINCH:
We meet at half past four.

TOBIAS:
By which clock?

FINCH:
By the market clock, naturally.

TOBIAS:
Then the committee has been meeting at a different time
every week for forty years,
and nobody has noticed.

FINCH:
Oh dear. Oh dear, oh dear.
I shall have to form a committee about that.

THE FOG

Some mornings the fog comes up the Sallow so thickly that the two banks forget each other. On those days the ferry bell rings every minute, and the Tall Light burns in daylight, and the gulls walk instead of flying because they cannot see where they would land. People in Lantern Reach speak more softly in fog. Nobody knows why. Hollis has a theory, but it takes an hour to explain.

ODA:
Ring the bell, Pell. Once, and then count to sixty,
and then once again.

PELL:
What if I lose count?

ODA:
Then ring it anyway. A bell rung early
is better than a bell forgotten.

PELL:
I cannot see the other bank.

ODA:
Nor can I. But I know where it is.
I have rowed this river eleven thousand times.
The oars remember even when the eyes do not.

PELL:
Are you ever afraid?

ODA:
Every time. That is how I know I am paying attention.
Ring the bell.

PELL:
Fifty eight, fifty nine, sixty.

ODA:
Good. Now listen. Do you hear that?

PELL:
Another bell. Far away, on the other side.

ODA:
That is Bram's boy on the south landing.
When we hear his bell and he hears ours,
the river is a road again.

MARGIT:
Fog on the water and fog on the glass.
I have lit the lamp at nine in the morning.
Hollis will want to know.

HOLLIS:
Hollis already knows. I walked up the headland
with a lantern in each hand,
and I only fell over twice.

MARGIT:
You should not be out in this.

HOLLIS:
I wanted to measure it.

MARGIT:
How do you measure fog?

HOLLIS:
I hold out my hand, and I count how many fingers I can see.
This morning it was three.

MARGIT:
And now?

HOLLIS:
Now it is four. The sun is somewhere up there,
working on it.

MARGIT:
Then sit and have tea while the sun works.
It does not need your help.

HOLLIS:
Everything needs somebody to write it down, Margit.
Otherwise how would the weather know
what it had done?

WHAT THE FOG SAID

I came up the river in the night
on feet as soft as flour.
I sat down on the ferry steps
and stayed for an hour.

I hid the church, I hid the mill,
I hid the baker's door.
I hid the tower on the hill
and then I hid some more.

The keeper lit her lamp for me,
the ferry rang its bell,
the clockmaker looked out and said
the clocks could not see well.

But by and by the sun came round
and wanted me to go,
so I rolled up like a grey sheet
and went back down below.

THE LETTER

Margit's sister lives three days away by coach, in a city with no river and no sea, where the streets are straight and the clocks all agree. Every month she writes a letter, and every month Oda carries it across the water, and every month it arrives a little damp. Margit reads it at the top of the tower, where the light is best.

MARGIT:
Dear Margit, she writes, the city is very busy.
Everyone walks quickly and nobody looks up.
I bought a new coat. It is blue.
When will you leave that tower and come to live somewhere sensible?

ODA:
What will you tell her?

MARGIT:
I will tell her the same thing I tell her every month.
That I have a lamp to keep, and a stair to climb,
and a window that looks out on the whole of the sea.
That the boats come home because of me.
That sensible is a word for people with smaller windows.

ODA:
She will not like that.

MARGIT:
She never does. But she keeps writing,
and I keep answering, and that is a kind of liking, too.

ODA:
Shall I take the answer back tomorrow?

MARGIT:
Take it the day after. I want to add a drawing of the tower
so she remembers how tall it is.

ODA:
You could draw me, as well, in the ferry.

MARGIT:
I could. But I draw boats very badly.
You would look like a potato in a bucket.

ODA:
I have been called worse, by the river.

PELL'S FIRST CLOCK

In the spring Tobias gave Pell a box of parts and told him to build a clock of his own. It was not to be a fine clock, he said, or a pretty clock, or even a correct clock. It only had to tick. Pell carried the box home as if it were full of eggs, and for three weeks nobody on Bellwether Lane saw very much of him.

PELL:
Master Tobias, it ticks.

TOBIAS:
Let me hear.

PELL:
Tick. And then a long wait. And then tock.
And then another long wait.

TOBIAS:
That is a slow clock.

PELL:
It is a thoughtful clock.
It likes to think about each second before it lets it go.

TOBIAS:
Then it will be a good companion for Hollis.
He thinks about every cloud for a week.

PELL:
Is it a real clock? Even if it is slow?

TOBIAS:
A clock is real when somebody trusts it.
Put it on the shelf by the window,
and we will see who comes in and asks the time.

BRAM:
Tobias, what time is it? My oven is in a hurry.

TOBIAS:
Ask the clock by the window. Pell made it.

BRAM:
It says ten past six.

PELL:
It is a quarter to seven.

BRAM:
Then my bread is burnt.

PELL:
I am very sorry.

BRAM:
Do not be sorry. I will bring you a burnt loaf
and you can eat it while you mend your clock.
That is how we learn in Lantern Reach.
Everybody pays for their mistakes in bread.

THE APPRENTICE

He had a box of little wheels,
a spring, a pin, a screw,
a face with numbers round the edge
and hands to point them through.

He fitted this and filed at that
by candle, late and long,
and when at last the thing went tick
he thought it was a song.

It ran too slow, it ran too fast,
it stopped on Saturday,
but every time he set it right
it learned a better way.

HOLLIS AND THE BOOK

Hollis began his weather book when he was eleven years old, and he is now seventy-three. There are sixty-two volumes, bound in brown cloth, stacked in his hut on the hill and under his bed and on the shelf above the stove, where they are warm and dry. Nobody has read all of them. Hollis says that is not the point. The point is that the days happened, and somebody noticed.

PELL:
Hollis, what happened on this day, a year ago?

HOLLIS:
Let me look. A year ago, it was clear and cold,
with a wind from the north at morning
and a frost on the ferry steps.
Oda slipped and said a word I did not write down.

PELL:
And ten years ago?

HOLLIS:
Ten years ago it rained all day, softly,
the kind of rain that does not fall so much as hang about.
Bram's father was still baking then.
He gave me a currant bun. I wrote that down too.

PELL:
Why do you write the buns?

HOLLIS:
Because weather is not only in the sky, young Pell.
It is what the day felt like.
A currant bun in the rain is a kind of weather.

PELL:
Then what is the weather today?

HOLLIS:
Today is bright, with a light breeze from the river,
and a boy asking questions,
which I think means fair skies ahead.

MARGIT:
Hollis, your book says a storm is coming on Friday.

HOLLIS:
My book says nothing of the kind.
My book only says what has already happened.
It is the glass that says a storm is coming on Friday.

MARGIT:
Is the glass ever wrong?

HOLLIS:
Often. But it is wrong honestly,
which is more than you can say for most things.

MARGIT:
Then I will fill the lamp on Thursday,
and carry up extra oil,
and tell Oda to tie the boat three times.

HOLLIS:
Oda always ties the boat three times.

MARGIT:
Then I will tell her to tie it four.

THE MARKET DAY

On the first Saturday of every month the square in front of the market hall fills with stalls. There are fishermen with silver baskets, farmers with turnips and honey, a woman who sells buttons from a hundred different coats, and a man who mends umbrellas while you wait. Bram sets up a table of bread under the clock, and all morning people look up at the clock and then at their own watches and then shake their heads, and then buy a loaf anyway.

FINCH:
Good people of Lantern Reach, I have an announcement.

BRAM:
Is it about the clock?

FINCH:
It is about the clock.

ODA:
It is always about the clock.

FINCH:
The committee has met, at what we believe was half past four,
and we have decided that the market clock
shall be given a second face.

TOBIAS:
A second face?

FINCH:
One face for the tide, and one face for the sun.
That way the fishermen and the schoolmaster
may both be satisfied.

TOBIAS:
And which face will you look at, Mayor?

FINCH:
Oh. I had not considered that.
Perhaps a third face.

HOLLIS:
And a fourth for the weather.

MARGIT:
And a fifth for the lamp.

PELL:
And a sixth for my clock, which is slow.

FINCH:
Please, please. One face at a time.
The committee will reconvene.

BRAM:
At half past four?

FINCH:
At whatever time the clock says is half past four.

ODA:
Two pennies for the crossing, and one for the bell.

MARGIT:
What is the bell penny for?

ODA:
It is for the bell. It needs a new rope.
The old rope was chewed by a goat on the south landing.

MARGIT:
Whose goat?

ODA:
Nobody knows. It arrived during the storm,
and it has decided to live on the ferry steps.
Bram feeds it crusts. Hollis wrote it down.
Pell has named it Tuesday.

MARGIT:
Why Tuesday?

ODA:
Because that is the day it came,
and because Pell says it looks like a Tuesday.

MARGIT:
I cannot argue with that.
Here are three pennies, and one more for Tuesday.

THE GOAT ON THE FERRY STEPS

Tuesday the goat is grey and white
and eats whatever she can bite:
a rope, a glove, a pair of socks,
the corner of a biscuit box.

She does not cross the river, no,
she watches other people go,
and when the ferry bumps the shore
she bleats as if to ask for more.

Oda scolds her, Bram gives bread,
Pell ties a ribbon round her head,
and Hollis, in his weather book,
writes: goat. Fair skies. Came down to look.

THE LONG EVENING

In midsummer the sun does not set over Lantern Reach until very late, and for a long while afterward the sky stays the colour of weak lemonade. Margit lights the lamp anyway, because the rule is the rule, but she leaves the door of the tower open, and sometimes the others walk out along the headland to sit on the warm stones and watch the boats come in.

ODA:
There goes the last of the fishing boats.

HOLLIS:
The wind will turn by midnight. Gently.
It will come off the land and smell of hay.

BRAM:
How do you know it will smell of hay?

HOLLIS:
Because it is June, and the fields are cut,
and the wind has nowhere else to have been.

TOBIAS:
Listen. You can hear the market clock from here.

PELL:
It is striking nine.

TOBIAS:
It is half past nine.

PELL:
Then it is nearly right.

TOBIAS:
Nearly right is the best thing a clock can be
in a town like this one.

MARGIT:
The lamp is lit. The boats are home.
The goat is asleep on the ferry steps.
I think that is all a day needs.

ODA:
One more thing. Is there any of Bram's bread left?

BRAM:
There is always some of Bram's bread left.
I bake for the town, and then I bake one more,
in case someone comes up the headland hungry.

THE BROKEN LENS

Late in the autumn a crack appeared in one of the great glass prisms of the Tall Light. It was a thin crack, no longer than a finger, but Margit saw it at once, because she polishes every piece of that glass by hand each morning. A cracked lens throws a crooked beam, and a crooked beam can send a boat the wrong way. She sent for Tobias, because Tobias understands anything with a mechanism, and for Hollis, because Hollis would want to know.

TOBIAS:
I mend clocks, Margit. This is a lens.

MARGIT:
It turns on a clock. It is close enough.

TOBIAS:
The clock is fine. The glass is not.
Glass is not a thing you mend. It is a thing you replace.

MARGIT:
The nearest glassworks is in my sister's city.
It would take a month to order,
and another month to carry it here.

HOLLIS:
And the winter storms begin in three weeks.
I have it written down.

TOBIAS:
Then we must think of something.

PELL:
Could we cover the crack?

TOBIAS:
With what?

PELL:
With a strip of something dark,
so the light goes around it instead of through it.
The beam would be a little thinner,
but it would still be straight.

MARGIT:
The boy is right.

TOBIAS:
The boy is often right. I try not to encourage it.
Bring me a strip of black tin and the small screwdriver.

PELL:
The smaller one?

TOBIAS:
The one that is smaller than that.

ODA:
I saw the beam last night from the middle of the river.
It has a dark line through it now, like a parting in hair.

MARGIT:
Is it straight?

ODA:
Straight as a ruler. I rowed right along it
and came in to the north landing without touching an oar.

MARGIT:
That is good. The new glass is ordered.
Until it arrives, the light will wear its parting.

ODA:
I think the boats rather like it.
It makes the Tall Light look as if it is winking.

A SMALL NIGHT POEM

The lamp goes round, the lamp goes round,
it sweeps the sea without a sound.
It touches every wave and then
it turns and touches them again.

Out on the water, one by one,
the boats come home when work is done,
and every sailor, looking back,
sees the light along his track.

THE WINTER

Winter in Lantern Reach is long and grey and not unpleasant. The river slows and sometimes freezes along its edges in thin white lace. The ferry still crosses, but Oda wears two coats and a hat with flaps, and Tuesday the goat sleeps in the ferry house by the stove. Bram bakes more bread than usual, because people eat more when it is cold, and Tobias works late, because clocks run slow in the frost and everybody brings them in at once.

BRAM:
Tobias, my kitchen clock has stopped.

TOBIAS:
It is cold. It is sulking. Put it on the shelf.

HOLLIS:
Tobias, the clock in my hut is running backwards.

TOBIAS:
That is unusual. Put it on the shelf.

FINCH:
Tobias, the committee has a clock that strikes thirteen.

TOBIAS:
That one, Mayor, I would leave exactly as it is.
A committee should always have an extra hour.

PELL:
Master Tobias, the shelf is full.

TOBIAS:
Then we begin at the left and work to the right,
and we do not stop until spring.

PELL:
That is a very long time.

TOBIAS:
It is exactly as long as it takes.
That is the first rule of clockmaking.

PELL:
What is the second rule?

TOBIAS:
Never drop the small screwdriver down the back of the bench.

PELL:
I have just dropped the small screwdriver down the back of the bench.

TOBIAS:
Then you have learned the second rule.

THE ICE ON THE RIVER

MARGIT:
Oda, the river has frozen from bank to bank.
I saw it from the gallery this morning.
It is white all the way across, like a tablecloth.

ODA:
I know. I went down at dawn and the boat would not move.
It is sitting in the ice like a spoon in cold porridge.

MARGIT:
Then nobody can cross.

ODA:
Nobody can row. That is not the same thing.
Bram says the ice is thick enough to walk on.
Hollis says it is not. Hollis has a book about it.

MARGIT:
What does the book say?

ODA:
It says that sixty years ago the river froze,
and a man walked across with a basket of eggs,
and came back without the eggs,
and without one of his boots.

MARGIT:
Then we will wait for Hollis to say it is safe.

ODA:
That may take until March.

MARGIT:
Then we will wait until March.
The south bank has its own bread and its own clocks.
They will manage without us for a little while.

HOLLIS:
The ice is holding. I have measured it with a pole.
It is as thick as the width of my hand,
and it is getting thicker every night.

BRAM:
So we may cross?

HOLLIS:
We may cross carefully, in a line,
one at a time, with a rope between us,
and nobody carrying eggs.

BRAM:
I was going to carry bread.

HOLLIS:
Bread is permitted. Bread is light.

PELL:
May Tuesday come?

HOLLIS:
The goat may come if the goat is on the rope.

ODA:
The goat will eat the rope.

HOLLIS:
Then the goat will stay at home,
and we will tell her about it afterward.

WALKING ON THE RIVER

We walked the river in a line,
the baker and the boy,
the keeper and the weather man,
the ferrywoman, coy

of standing where she always rowed,
so strange beneath her feet,
the water sleeping under glass,
the far bank close and neat.

We reached the other side and laughed,
and turned, and looked behind,
and saw our footprints on the ice
like letters someone signed.

THE THAW

In March the ice broke up with a sound like a long slow door opening, and the river remembered that it was supposed to be going somewhere. Great white plates of ice went sliding down toward the sea, past the Tall Light, turning and bumping like sheep at a gate. Oda stood on the ferry steps and watched them go with her arms folded, and when the last of them had passed she untied the boat, once, twice, three times, and rowed across to the south bank just to see if she still could.

ODA:
Still here, river?

MARGIT:
Who are you talking to?

ODA:
The river. We have not spoken all winter.
I wanted to make sure it remembered me.

MARGIT:
And does it?

ODA:
It splashed me. I think that means yes.

TOBIAS:
Pell, the shelf is empty.

PELL:
All of them? Every single clock?

TOBIAS:
Every one. Bram's is sulking less.
Hollis's clock goes forwards again.
The committee's clock still strikes thirteen,
but the committee has grown fond of it.

PELL:
And the small screwdriver?

TOBIAS:
I found it this morning, behind the bench,
under a mouse that was using it as a pillow.

PELL:
Did you take it back?

TOBIAS:
I gave the mouse a thimble instead.
It seemed a fair exchange.

THE NEW GLASS

When the new lens came at last it arrived in a wooden crate packed with straw, on the back of a cart pulled by a horse who clearly disapproved of the whole business. Oda carried it across the river on the ferry, very slowly, with Pell holding one side and Bram holding the other, and Tuesday the goat watching from the steps as if she had been put in charge.

MARGIT:
Gently. Gently. Up the stair, one step at a time.

BRAM:
How many steps are there?

MARGIT:
One hundred and nine.

BRAM:
It feels like more.

MARGIT:
It always feels like more when you are carrying something.
That is why I count them.

PELL:
One hundred and seven, one hundred and eight...

MARGIT:
Set it down. There. Now Tobias will fit it,
and Hollis will write it in his book,
and tonight the light will be whole again.

TOBIAS:
Small screwdriver, Pell.

PELL:
The one that is smaller than that?

TOBIAS:
You are learning.

HOLLIS:
I have written: the new glass came today.
Clear skies. A light wind from the south.
Everybody climbed the tower. Nobody fell.

MARGIT:
Write that the beam is straight again.

HOLLIS:
I will write it when I have seen it.

MARGIT:
Then come out onto the gallery. It is getting dark.
Look.

HOLLIS:
Oh. Yes. That is straight.
That is as straight as anything I have ever seen.

THE END OF THE YEAR

The year in Lantern Reach ends the way it begins, with the river going down to the sea and the lamp going round on the headland. Nobody in the town would call it an eventful year. There was a storm, and a fog, and a goat, and a crack in the glass, and a winter when the river stood still. The market clock was wrong all year, and nobody minded. Pell built a clock that ran slow, and then a second one that ran only a little slow, and Tobias hung the second one in the window of the shop with a small card beneath it that said: made by the apprentice.

MARGIT:
Another year on the stair.

ODA:
Another year on the water.

TOBIAS:
Another year at the bench.

HOLLIS:
Sixty-three volumes now.

BRAM:
Eleven thousand loaves, or near enough.

PELL:
Two clocks. And one goat, named.

FINCH:
And one committee, still meeting.

MARGIT:
Then let us light the lamp
and go home, each of us, by the lanes that run downhill,
and meet again tomorrow by the water.

ODA:
By which clock?

MARGIT:
By whichever clock you like, Oda.
We will all be there, near enough.

LAST SONG OF LANTERN REACH

The river runs, the lamp goes round,
the clock is wrong, the bread is browned,
the glass goes up, the glass goes down,
and so the days go through the town.

The ferry crosses, back and forth,
from south to north, from south to north,
and on the hill a man writes down
the little weathers of the town.

And if you come here, come by sea,
and look up where the light will be,
and count the stair, and take your tea,
and stay a while, and let things be.
`;
