"""Word lists for language identification, written for this project.

Function words and very frequent informal words only: they decide a language from a few words
of a tweet. Words shared by two languages (Persian/Arabic "من", "ما"; English/Finglish "man",
"to", "in", "bad") are deliberately left out of one of the lists or count for neither; Arabic
words that are also everyday Persian («شو» in «گم شو», «کل», «غیر») are left out of the Arabic list.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.replace("ي", "ی").replace("ك", "ک").split())


def _latin(text: str, exclude: frozenset[str] = frozenset()) -> frozenset[str]:
    return frozenset(text.split()) - exclude


PERSIAN_WORDS = _words(
    """
    از به با که را رو است هست نیست بود این اون آن برای تو توی ها های هم یک یه خیلی چرا چی چه
    کجا کی چطور نمی می‌شه میشه نمیشه دارم داره دارید ندارم نداره کردم کرد کنید کنم شده شد بشه
    اگه اگر ولی اما یا تا دیگه دیگر همه هیچ باید نباید میخوام می‌خوام خودم خودش شما ما ایشون
    آقا خانم سلام ممنون مرسی لطفا لطفاً چون پس الان هنوز امروز دیروز فردا کن بده بدید شما هستم
    هستید نیستم بودم بودن رفت رفتم اومد اومده گفت گفتم میگه میگن یعنی فقط حتی اصلا اصلاً خوب بد
    خوبه بده عالی افتضاح سفارش سفارشم پشتیبانی جواب نمیدن نمیدید دادن داد ببخشید واقعا واقعاً
    کاش چقدر کدوم همین همون اینجا اونجا روی زیر بین بدون درباره مثل مثلا یکی چند بار ازش بهش
    باهاش براش شون تون مون مگه نه آره بله اره کنه کنن میکنه نمیکنه می‌کنه نمی‌کنه شدم شدیم
    دو سه چهار پنج شش هفت هشت زدم کرده کردن کردید کسی هیچکس هیچکی دستم روزه ساعته دیگه برام
    بهم ازتون ازشون تومن هزار میلیون خیلیی داشتم داشت نداشت نداشتم بودن هستن نیستن چیه کیه
    بی بسیار فوق غیر قابل استفاده کل وای الهی کیفیت خوبیه بهتر بدتر بیشتر کمتر خوشم بدم
    """
)

ARABIC_WORDS = _words(
    """
    في على إلى الى هذا هذه هذي التي الذي الذين كان كانت يكون عن لم لن قد ذلك تلك هو أن إن أو او
    ليس ماذا لماذا كيف أين وين ليش هيك كتير كثير زين وايد عشان علشان مش اللي انا أنا انت
    أنت احنا نحن انتم هناك هنا جدا جداً شكرا شكراً اليوم الآن لكن ولكن حتى عند عندي لدي فيه فيها
    منذ بين مثل أيضا ايضا يعني والله ان شاء ما زال اذا إذا لقد التى الي إلي بعض نعم أي ايش
    يا_ريت حبيبي ياخي اخي أخي الطلب التوصيل الخدمة سيء ممتاز وصل تأخر
    """
)

ENGLISH_WORDS = _latin(
    """
    the a an and or but if of on at by for with from into about than then this that these those is
    are was were be been being am do does did done have has had having will would can could should
    shall may might must not no yes it its it's i you he she we they me him her us them my your his
    our their what which who whom whose when where why how all any both each few more most other
    some such only own same so too very just also now here there up down out over again order
    delivery late still waiting service support customer app bank account card money refund please
    thanks thank great good terrible awful worst best love hate never ever always today yesterday
    tomorrow day days hour hours week time get got give go going went come came make made know think
    want need see look like really well even because after before while until since as new old first
    last one two three help problem issue fix fixed working works work didn't don't doesn't can't
    won't isn't wasn't aren't i'm you're it's that's there's what's still again nothing something
    everything anyone someone people company brand price quality product products store shop online
    phone call email reply replied answer answered customer guys lol omg wow amazing awesome nice
    bad poor slow fast fresh cold hot food ordered arrived pay paid payment charged twice scam fraud
    hacked stolen lost wrong broken damaged via tonight outage early morning night evening month
    year minutes update bug crash crashed crashing login password transfer transferred received
    delivered shipping shipped package box bought buy sell sold cheap expensive prices discount
    code coupon free cost costs charge fee fees accounts balance everyone nobody somebody they're
    we're better worse fine okay ok excellent cool fun happy sad angry upset disappointed impressed
    quick quickly finally already yet soon said says say tell told ask asked called calling waited
    waits sorry hello hi hey dear team friend friends family mom dad opened open closed minutes
    fully nice ux ui experience recommend recommended
    """
)

# Finglish spellings vary (kheili/kheyli/khaili); the common variants of each word are listed.
FINGLISH_WORDS = _latin(
    """
    salam salaam merci mamnoon mamnun mamnoonam kheili kheyli khayli khaili khili khob khoob khub
    khube khoobe khobe khubi khoobi chera chra chi chie chiye chetori chetor kojaei koja kojast kei
    key hanooz hanuz hanoz emrooz emruz dirooz diruz farda alan ham hamash hamishe hichi hich hast
    hastam hasti hastin hastid nist nistam nisti bood bud boodam budam shod shode shodam shodim
    mishe nemishe mikham mikhay mikhad mikhaim nemikham nemidoonam midoonam nemidonam midonam mikone
    nemikone mikonan nemikonan mikonid kardam kard kardan kardin kardid kon konid konin begid begin
    bedid bedin bede dadam dadan dadin nadadan nadadin nadad javab javabe javabo poshtibani
    poshtibanie sefaresh sefareshe sefaresham sefareshamo ersal tahvil peyk paik residan nareside
    narasid nareside residim ghimat gheymat geran gerun gerune goroon kifiat keyfiat keifiat kharab
    kharabe khoshgel ali aali awli afzal aziz azizam joon jan joonam ye yek do se chand baraye bara
    vase vasse vaseye ba bi az be ke ro ra va ya ta age agar vali ama chon pas yani faghat hata asan
    aslan digaa dige digeh dg mage na are areh bale bashe bashe baashe nemiad miad umad oomad oomade
    omad raft raftam miram miri mire mirim gofte goftam mige migan migim harf harfi dust doost doset
    dooset daram dari dare darim darin darid nadaram nadare nadarim kheily mersi lotfan lotfa
    bebakhshid bebakhshin vagean vaghean vaghan vaghei chegad cheghadr cheqadr kodoom kodom hamin
    hamun hamoon inja unja oonja injoori injori unjuri ghorban ghoorbon dastet dastetoon dard
    dardesar bahal bahale khafan khafane zesht bade badie pool pul poolam pulam bargasht
    bargardoondan bargardoonid barnagardoondan enteghal kart karto hesab hesabam app barname
    barnamash site saite zang zadam zadim nemidan midan nemide mide tavajoh moshkel moshkeli
    moshkelam moshkelat eshtebah eshtebahi dir dirkard zood zud sari khodam khodet khodesh shoma
    shomaha ina una oona inaro unaro chiza chizi kheilia hamechi dorost dorostesh doroste ghaza
    ghazash sard sarde dir_residan mamnoonim bazam baz dobare
    kardam karde kardi kardim estefade behtarin bishtar kamtar tamoom tamum shodan mikonam konam
    ie baraye hamash emshab dishab sob shab rooz ruz hafte mah sal saat daghighe mikharam
    nemikharam kharidam kharid gereftam gerefte dadi dade ferestadan ferestade nayoomade nayumade
    oomade umade residam resid raftam rafte besh behesh azash barash mamnoonam sabziha tazeh bud
    budan boodan hastan nistan khaili baba babaa vay vai akh ajab ajib rasti bia biya boro
    """,
    exclude=ENGLISH_WORDS,
)

# Function words of other Latin-script languages (French, German, Spanish, Italian, Portuguese,
# Turkish, Dutch, Polish): enough of them and the text is "other", not English or Finglish.
OTHER_LATIN_WORDS = _latin(
    """
    le la les un une des du et est je tu il elle c'est j'ai n'est qu'il vraiment bien aussi
    nous vous ils pas ne que qui pour avec dans sur
    très mais ou où ce cette mon ma mes der die das und ist ich nicht ein eine zu mit sich auf für
    von dem den wie wir sie es nach noch aber el los las una por para con del que muy pero es
    está gracias todavía y il lo gli per non è di della sono questo molto grazie os um uma
    não com para mas muito obrigado bir ve çok bu için ile gibi ama değil teşekkürler
    lütfen het een niet ik je van dat nie jest się za dziękuję bardzo
    """,
    exclude=ENGLISH_WORDS,
)
