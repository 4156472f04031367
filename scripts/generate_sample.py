"""Generate the bundled sample: a synthetic week of Persian brand mentions (deterministic).

    .venv/bin/python scripts/generate_sample.py [--out data/sample/mentions.jsonl] [--seed 1405]

Everything here is written for Shenava: templates × slots × surface variations, no copied posts.
Three fictional brands: Sabzino (online grocery), Nobank (digital bank) and Tazeh Market
(Sabzino's competitor). Seven days from Saturday 2026-10-03 (Tehran time): a Tehran daily rhythm
(quiet 2–7 am, evening peak), a quieter Thursday–Friday weekend, complaints and praise over the
touchpoints, questions, news, ads, replies in conversations, X/Instagram/web/Telegram sources,
Finglish and some English; and on day 5 (Wednesday) a Sabzino delivery outage: from about 17:00
orders are hours late and support does not answer, and angry mentions burst for a few hours.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

TEHRAN = timezone(timedelta(hours=3, minutes=30))  # Iran keeps +03:30 all year since 2022
START = datetime(2026, 10, 3, tzinfo=TEHRAN)  # Saturday, 11 Mehr 1405
DAYS = 7
OUTAGE_DAY = 4  # 0-based: the 5th day, Wednesday 2026-10-07
OUTAGE_START_H, OUTAGE_END_H = 17.0, 21.5
DEFAULT_SEED = 1405
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "sample" / "mentions.jsonl"

# mentions per hour on a weekday, Tehran time: asleep 2–7, lunch bump, evening peak 19–23
HOURLY = [14, 8, 3, 2, 1.5, 1.5, 2.5, 6, 14, 20, 23, 24, 25, 22, 19, 20, 22, 25, 28, 33, 38, 40, 36, 24]
# Thursday/Friday: fewer mentions, a late morning
WEEKEND_SCALE = 0.72
WEEKEND_SHIFT = [1.0] * 7 + [0.4, 0.5, 0.7, 0.9] + [1.0] * 13

BRANDS: dict[str, dict[str, Any]] = {
    "sabzino": {
        "fa": ["سبزینو", "سبزینو", "سبزينو"],
        "latin": ["Sabzino"],
        "finglish": ["sabzino", "sabzeeno"],
        "handles": ["sabzino", "sabzino_support"],
        "hashtags": ["سبزینو"],
        "domain": "grocery",
        "weight": 0.47,
    },
    "nobank": {
        "fa": ["نوبانک", "نو بانک", "نوبانک"],
        "latin": ["Nobank", "NoBank"],
        "finglish": ["nobank", "no bank"],
        "handles": ["nobank_ir"],
        "hashtags": ["نوبانک"],
        "domain": "bank",
        "weight": 0.31,
    },
    "tazeh": {
        "fa": ["تازه‌مارکت", "تازه مارکت", "تازه‌مارکت"],
        "latin": ["Tazeh Market"],
        "finglish": ["tazeh market", "taze market"],
        "handles": ["tazehmarket"],
        "hashtags": ["تازه_مارکت"],
        # the competitor is tracked by name only (config lists no handles/hashtags for it)
        "by_name_only": True,
        "domain": "grocery",
        "weight": 0.22,
    },
}

SLOTS: dict[str, list[str]] = {
    "item": [
        "سبزی خوردن",
        "گوجه",
        "خیار",
        "موز",
        "پنیر",
        "ماست",
        "نون سنگک",
        "مرغ",
        "سیب‌زمینی",
        "هندونه",
        "شیر",
        "تخم‌مرغ",
        "برنج",
        "انار",
        "پرتقال",
        "گوشت چرخ‌کرده",
    ],
    "hours": ["دو", "سه", "چهار", "۲", "۳", "یه ساعت و نیم", "دو ساعت و نیم"],
    "minutes": ["۴۰", "۵۰", "۹۰", "چهل", "پنجاه"],
    "amount": ["۲۰۰ تومن", "۳۵۰ هزار تومن", "۱۲۰ تومن", "۸۵ هزار تومن", "نیم میلیون", "۱ میلیون و ۲۰۰"],
    "city": ["تهران", "کرج", "اصفهان", "شیراز", "مشهد", "تبریز", "قم", "رشت"],
    "pct": ["۱۰", "۱۵", "۲۰", "۲۵", "۳۰", "۴۰"],
    "code": ["SABZ20", "TAZEH15", "NOB100", "HELLO30", "YALDA25"],
    "feature": ["کارت به کارت", "پرداخت قبض", "اسکن QR", "افتتاح حساب آنلاین", "کارت مجازی", "قسط‌بندی"],
    "emoji_bad": ["😡", "😤", "🤬", "😒", "💔", "🙄", "😩", "😑"],
    "emoji_good": ["😍", "👌", "❤️", "🙏", "👏", "😊", "🌸", "💚", "🔥"],
    "emoji_meh": ["🤔", "🧐", "🙂", "👀"],
}

# Complaints and praise per (domain, touchpoint). {b} is the brand as written, {item} etc. slots.
COMPLAINTS: dict[tuple[str, str], list[str]] = {
    ("grocery", "delivery"): [
        "سفارشم {hours} ساعته تو راهه و هنوز نرسیده",
        "پیک گفت ده دقیقه دیگه میرسه، الان {minutes} دقیقه گذشته",
        "بازه تحویل رو ۶ تا ۸ زدم، ساعت ۱۰ شب رسید",
        "نصف سفارشم نیومده، {item} رو اصلا نیاوردن",
        "دیگه از {b} خرید نمیکنم، دو بار پشت سر هم دیر آورد",
        "ارسال رایگان رو زدن ولی سفارش فردا صبح رسید",
    ],
    ("grocery", "price"): [
        "قیمت {item} تو {b} از سوپرمارکت سر کوچه گرونتره",
        "هزینه ارسال شده {amount}؟ شوخی میکنید؟",
        "تخفیف‌هاش فقط اسمه، قیمت رو اول میبرن بالا",
        "یه هفته‌ای قیمت‌ها ۳۰ درصد رفته بالا",
    ],
    ("grocery", "support"): [
        "پشتیبانی {b} یک ساعته جواب تلفن رو نمیده",
        "تیکت زدم سه روزه هیچکس جواب نداده",
        "چت آنلاین فقط ربات جواب میده، آدم نیست اونجا",
        "به پشتیبانی گفتم {item} خراب بود، گفتن کاری نمیشه کرد",
    ],
    ("grocery", "quality"): [
        "{item} که فرستادن کاملا پلاسیده بود",
        "{item} تاریخ گذشته برام فرستادن",
        "کیفیت میوه‌هاش خیلی افت کرده",
        "{item} له شده بود، بسته‌بندی افتضاح",
    ],
    ("grocery", "app"): [
        "اپ {b} موقع پرداخت هنگ میکنه",
        "آپدیت جدید اپ سبد خریدم رو پاک کرد",
        "اپلیکیشن هی میگه خطای ارتباط با سرور",
        "نمیشه آدرس جدید ثبت کرد تو اپ",
    ],
    ("grocery", "payment"): [
        "پول از حسابم کم شد ولی سفارش ثبت نشد",
        "سه روزه منتظر برگشت پولم هستم",
        "درگاه پرداخت {b} مدام خطا میده",
    ],
    ("grocery", "staff"): [
        "پیکتون خیلی بی‌ادب بود، حتی سلام نکرد",
        "پیک کیسه‌ها رو دم در ول کرد و رفت",
        "راننده زنگ زد گفت آدرس رو پیدا نمیکنم، قطع کرد",
    ],
    ("bank", "app"): [
        "اپ {b} از صبح باز نمیشه",
        "بعد از آپدیت نمیتونم لاگین کنم، کد یکبار مصرف نمیاد",
        "اپ {b} وسط {feature} بسته شد",
        "اثر انگشت تو اپ دیگه کار نمیکنه",
    ],
    ("bank", "payment"): [
        "{feature} زدم، پول کم شد ولی به مقصد نرسید",
        "انتقال {amount} دو روزه معلقه",
        "تراکنش ناموفق ولی حسابم کسر شده",
    ],
    ("bank", "support"): [
        "پشتیبانی {b} نیم ساعت پشت خط نگهم داشت",
        "تیکتم رو بستن بدون اینکه مشکلم حل بشه",
        "هیچ راهی برای حرف زدن با یه آدم واقعی تو {b} نیست",
    ],
    ("bank", "price"): [
        "کارمزد {feature} تو {b} از بانکای دیگه بیشتره",
        "برای صدور کارت {amount} گرفتن",
    ],
    ("bank", "delivery"): [
        "کارت فیزیکی که سفارش دادم سه هفته‌ست نرسیده",
        "پست کارت رو برگردونده، {b} هم جواب نمیده",
    ],
    ("bank", "quality"): [
        "سود حساب {b} بی‌خبر کم شد",
        "احراز هویت ویدیویی {b} سه بار رد شد",
    ],
    ("bank", "staff"): [
        "کارشناس {b} پشت تلفن سرم داد زد",
        "کارمند احراز هویت گفت خودتون مشکل دارید",
    ],
}

PRAISE: dict[tuple[str, str], list[str]] = {
    ("grocery", "delivery"): [
        "سفارشم {minutes} دقیقه‌ای رسید، عالی بود",
        "امروز زودتر از موعد آوردن، دمتون گرم",
        "ساعت ۱۱ شب سفارش دادم و صبح اول وقت دم در بود",
    ],
    ("grocery", "price"): [
        "قیمت {item} تو {b} از میدون تره‌بار هم ارزونتر بود",
        "با کد تخفیف {pct} درصد کلی صرفه‌جویی کردم",
    ],
    ("grocery", "support"): [
        "پشتیبانی {b} سریع جواب داد و پول {item} رو برگردوند",
        "یه مشکل داشتم، تو پنج دقیقه حلش کردن. ممنون",
    ],
    ("grocery", "quality"): [
        "{item} {b} همیشه تازه‌ست",
        "میوه‌ها درجه یک بود، مثل باغ",
        "کیفیت {item} واقعا عالیه",
    ],
    ("grocery", "app"): [
        "اپ جدید {b} خیلی روون و تمیزه",
        "لیست خرید تکراری تو اپ خیلی کار رو راحت کرده",
    ],
    ("grocery", "payment"): [
        "پرداخت در محل داره، خیلی خوبه",
        "برگشت پولم همون روز انجام شد",
    ],
    ("grocery", "staff"): [
        "پیک {b} خیلی مودب بود، کیسه‌ها رو تا طبقه سوم آورد",
        "راننده‌شون با حوصله صبر کرد تا برسم خونه",
    ],
    ("bank", "app"): [
        "اپ {b} از همه بانکا بهتره، سریع و ساده",
        "{feature} تو اپ {b} خیلی راحته",
        "آپدیت جدید اپ عالی شده",
    ],
    ("bank", "payment"): [
        "{feature} با {b} تو چند ثانیه انجام شد",
        "انتقال پول بدون دردسر، ممنون {b}",
    ],
    ("bank", "support"): [
        "پشتیبانی {b} نصف شب هم جواب داد",
        "مشکل کارتم رو تو یه تماس حل کردن",
    ],
    ("bank", "price"): [
        "{b} کارمزد کارت به کارت نمیگیره 👍",
        "صدور کارت رایگان بود",
    ],
    ("bank", "delivery"): ["کارت {b} دو روزه رسید دستم"],
    ("bank", "quality"): ["افتتاح حساب {b} ده دقیقه طول کشید، بدون رفتن به شعبه"],
    ("bank", "staff"): ["کارشناس {b} خیلی صبور و مودب بود"],
}

QUESTIONS = {
    "grocery": [
        "کسی از {b} خرید کرده؟ میوه‌هاش خوبه؟",
        "{b} به {city} هم ارسال داره؟",
        "{b} بهتره یا {other}؟ تجربه دارید؟",
        "کد تخفیف {b} کسی داره؟",
        "ساعت کاری پشتیبانی {b} تا کیه؟",
    ],
    "bank": [
        "کسی با {b} حساب باز کرده؟ مطمئنه؟",
        "{b} {feature} داره؟",
        "سقف انتقال روزانه {b} چقدره؟",
        "افتتاح حساب {b} برای زیر ۱۸ سال هم هست؟",
    ],
}

NEWS = {
    "grocery": [
        "{b} سرویس خود را در {city} راه‌اندازی کرد",
        "گزارش: سهم {b} و {other} از بازار خرید آنلاین مواد غذایی افزایش یافت",
        "مدیرعامل {b}: تا پایان سال به ۱۰ شهر جدید می‌رسیم",
        "{b} از جذب سرمایه جدید خبر داد",
        "بررسی قیمت سبد کالا در فروشگاه‌های آنلاین؛ از {b} تا {other}",
    ],
    "bank": [
        "{b} امکان {feature} را به اپلیکیشن خود اضافه کرد",
        "بانک مرکزی مجوز فعالیت {b} را تمدید کرد",
        "تعداد کاربران {b} از دو میلیون نفر گذشت",
        "{b} سرویس وام خرد آنلاین را آغاز کرد",
    ],
}

ADS = {
    "grocery": [
        "🎁 {pct} درصد تخفیف خرید اول از {b} با کد {code}",
        "میوه و سبزی تازه، ارسال زیر یک ساعت با {b} 🛒",
        "آخر هفته با {b}: ارسال رایگان برای خرید بالای {amount}",
    ],
    "bank": [
        "با {b} در کمتر از ۱۰ دقیقه حساب باز کن 💳",
        "{feature} رایگان در اپ {b}، همین حالا نصب کن",
    ],
}

FINGLISH = {
    ("grocery", "negative"): [
        "{b} dobare sefareshamo {h} saat dir avord",
        "{b} kheili gerun shode, dige nemikharam",
        "poshtibani {b} aslan javab nemide",
        "miveha ke {b} ferestad hamash kharab bud",
    ],
    ("grocery", "positive"): [
        "{b} kheili khube, zud miare",
        "mersi {b}, sabziha tazeh bud",
        "app {b} kheili rahate",
    ],
    ("bank", "negative"): [
        "app {b} baz nemishe, login nemishe kard",
        "{b} kart be kart kardam pulam gir kard",
        "poshtibani {b} javab nemide",
    ],
    ("bank", "positive"): [
        "{b} behtarin app banki ie ke estefade kardam",
        "ba {b} hesab baz kardam, 10 daghighe tul keshid",
    ],
    ("any", "neutral"): ["kasi {b} estefade karde?", "{b} be {c} ham ersal dare?"],
}

ENGLISH = {
    ("grocery", "negative"): [
        "{b} delivery was {h} hours late again. Not cool.",
        "Half my {b} order was missing and support won't reply",
        "{b} prices went up a lot this month",
    ],
    ("grocery", "positive"): [
        "Honestly {b} is the best grocery app in Tehran, super fast delivery",
        "{b} support refunded me in 5 minutes, impressed",
    ],
    ("bank", "negative"): [
        "The {b} app keeps crashing after the update",
        "{b} transfer stuck for two days, anyone else?",
    ],
    ("bank", "positive"): [
        "Opened a {b} account in 10 minutes, fully online. Nice UX",
        "{b}'s new app update is really smooth",
    ],
    ("any", "neutral"): ["Has anyone tried {b}? Thinking of switching", "{b} announced a new feature today"],
}

OUTAGE = [
    "سفارشم از ساعت {start} ثبت شده، الان {now}ه و هنوز خبری نیست!",
    "{b} چه خبره؟ {hours} ساعته منتظر سفارشم، پشتیبانی هم جواب نمیده",
    "سایت {b} میگه در حال ارسال ولی پیک اصلا تخصیص داده نشده",
    "کل مهمونامون نشستن، سفارش {b} هنوز نرسیده",
    "تلفن پشتیبانی {b} اشغاله، چت هم جواب نمیده. واقعا افتضاحه",
    "{b} سفارش امروزم رو بدون اطلاع کنسل کرد، پول هم برنگشته",
    "شام امشب رو به امید {b} گذاشته بودیم، الان ساعت {now}ه",
    "مثل اینکه سیستم ارسال {b} کلا خوابیده، همه دوستام هم سفارششون نرسیده",
    "آخرین بار بود از {b} خرید کردم، {hours} ساعت تاخیر بدون یه عذرخواهی",
    "هیچکس تو {b} پاسخگو نیست؟ بچه‌ام شیر نداره",
    "{b} دیگه داره شورشو درمیاره، {hours} ساعت تاخیر!!!",
    "پیگیری سفارش {b} فقط میگه «در صف ارسال»",
]
OUTAGE_FINGLISH = [
    "{b} chera sefaresham nemirese? {h} saate montazeram",
    "{b} poshtibani javab nemide, vaghan aslan",
]
OUTAGE_ENGLISH = ["Is {b} down? My order is {h} hours late and support is unreachable", "{b} outage tonight?"]
OUTAGE_NEWS = [
    "اختلال در سرویس ارسال {b}؛ سفارش‌های کاربران ساعت‌ها با تاخیر تحویل شد",
    "کاربران از تاخیر چندساعته سفارش‌های {b} گلایه دارند",
]
SUPPORT_REPLIES = {
    "sabzino": [
        "سلام {name} عزیز، پوزش بابت تاخیر. لطفا شماره سفارش رو دایرکت کنید تا پیگیری کنیم 🙏",
        "سلام وقت بخیر، موضوع رو به واحد ارسال اطلاع دادیم. از صبوری‌تون ممنونیم",
        "درود، پیگیری شد. کد تخفیف جبرانی براتون پیامک شد 🌸",
    ],
    "nobank": [
        "سلام، لطفا شماره پیگیری تراکنش رو از طریق پیام خصوصی ارسال کنید",
        "درود، مشکل اپ برطرف شده؛ لطفا نسخه جدید رو نصب کنید",
    ],
    "tazeh": ["سلام، ممنون از بازخوردتون. پیگیری می‌کنیم 🙏"],
}
OUTAGE_SUPPORT = [
    "سلام {name} عزیز، به دلیل اختلال در سامانه ارسال، سفارش‌ها با تاخیر ارسال می‌شن. عذرخواهی می‌کنیم 🙏",
    "پوزش می‌خوایم؛ تیم فنی در حال رفع مشکله. سفارش شما در اولویت ارسال قرار گرفت",
]
FOLLOW_UPS = {
    "negative": [
        "دایرکت دادم ولی هنوز جواب ندادید",
        "این جواب تکراریه، مشکل من حل نشد",
        "باز هم هیچ خبری نشد",
    ],
    "positive": ["ممنون، پیگیری کردید و حل شد 🙏", "مرسی، سفارش رسید", "ممنون از پیگیری سریع"],
}
# Openers carry a mood: praise never starts with an exasperated "یعنی چی؟" or "اه". Both lists
# have the same length, so a choice draws the same random numbers whichever mood it serves.
NEG_OPENERS = ["", "", "", "واقعا ", "بابا ", "دیگه ", "سلام، ", "یعنی چی؟ ", "اه ", "خدایی "]
POS_OPENERS = ["", "", "", "واقعا ", "بابا ", "", "سلام، ", "وای ", "به به، ", "خدایی "]
NEG_CLOSERS = ["", "", ".", "!", "!!!", "؟!", " واقعا که", " دیگه خسته شدم", " اصلا قابل قبول نیست"]
POS_CLOSERS = ["", "", ".", "!", " ممنون", " دمتون گرم", " مرسی", " عالی"]
UNRELATED = [
    "امروز سبزی خوردن تازه از بازار خریدم، چه عطری داره 🌿",
    "نو بودن گوشی جدیدم خیلی حس خوبی داره",
    "تازه رسیدم خونه، ترافیک همت وحشتناک بود",
    "بانک نزدیک خونمون امروز تعطیل بود",
]

FIRST = [
    "ali",
    "sara",
    "reza",
    "maryam",
    "mohammad",
    "zahra",
    "hamed",
    "niloofar",
    "amir",
    "fatemeh",
    "mahsa",
    "hossein",
    "parisa",
    "mehdi",
    "shirin",
    "arash",
    "elham",
    "saeed",
    "nazanin",
    "behnam",
    "yasaman",
    "kian",
]
LAST = [
    "rezaei",
    "ahmadi",
    "karimi",
    "hosseini",
    "moradi",
    "jafari",
    "tehrani",
    "mousavi",
    "sadeghi",
    "rahimi",
]
FA_FIRST = {
    "ali": "علی",
    "sara": "سارا",
    "reza": "رضا",
    "maryam": "مریم",
    "mohammad": "محمد",
    "zahra": "زهرا",
    "hamed": "حامد",
    "niloofar": "نیلوفر",
    "amir": "امیر",
    "fatemeh": "فاطمه",
    "mahsa": "مهسا",
    "hossein": "حسین",
    "parisa": "پریسا",
    "mehdi": "مهدی",
    "shirin": "شیرین",
    "arash": "آرش",
    "elham": "الهام",
    "saeed": "سعید",
    "nazanin": "نازنین",
    "behnam": "بهنام",
    "yasaman": "یاسمن",
    "kian": "کیان",
}
NEWS_OUTLETS = [
    ("eghtesad24", "اقتصاد ۲۴", 410_000),
    ("fintech_news", "فین‌تک نیوز", 86_000),
    ("startup_ir", "استارتاپ‌نیوز", 152_000),
    ("khabar_bazar", "خبر بازار", 233_000),
]
TELEGRAM_CHANNELS = ["takhfif_yab", "tehran_startups", "bazar_online", "fintech_fa"]


@dataclass
class Author:
    handle: str
    name: str
    followers: int


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.authors = [self._author() for _ in range(1400)]
        self.lines: list[dict[str, Any]] = []
        self.serial = 0

    # -- people and surface -------------------------------------------------------------------

    def _author(self) -> Author:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        style = self.rng.random()
        if style < 0.4:
            handle = f"{first}_{last}"
        elif style < 0.7:
            handle = f"{first}{self.rng.randint(60, 99)}"
        else:
            handle = f"{first}.{last[0]}{self.rng.randint(1, 999)}"
        # followers: heavy-tailed, a few influencers
        followers = int(math.exp(self.rng.gauss(5.6, 1.5)))
        if self.rng.random() < 0.01:
            followers *= 60
        return Author(
            handle, f"{FA_FIRST[first]} {self.rng.choice(['', 'ر.', 'ک.', 'م.'])}".strip(), followers
        )

    def brand_ref(self, brand: str, script: str = "fa") -> str:
        info = BRANDS[brand]
        if info.get("by_name_only"):
            pool = {"fa": info["fa"], "finglish": info["finglish"]}.get(script, info["latin"])
            return self.rng.choice(pool)
        if script == "fa":
            r = self.rng.random()
            if r < 0.12:
                return "@" + info["handles"][0]
            if r < 0.22:
                return "#" + info["hashtags"][0]
            return self.rng.choice(info["fa"])
        if script == "finglish":
            return self.rng.choice(info["finglish"] + ["@" + info["handles"][0]])
        return self.rng.choice(info["latin"] + ["@" + info["handles"][0]])

    def fill(self, template: str, brand: str, script: str = "fa") -> str:
        other = "tazeh" if brand == "sabzino" else "sabzino"
        values = {k: self.rng.choice(v) for k, v in SLOTS.items()}
        values.update(
            b=self.brand_ref(brand, script),
            other=self.rng.choice(BRANDS[other]["fa"]),
            h=str(self.rng.randint(2, 4)),
            c=self.rng.choice(["karaj", "shiraz", "isfahan", "mashhad"]),
        )
        return template.format(**values)

    def vary(self, text: str, mood: str) -> str:
        """Surface noise real posts have: stretched letters, Arabic keyboard, no ZWNJ, emoji."""
        rng = self.rng
        if rng.random() < 0.12:
            for word in ("خیلی", "واقعا", "عالی", "افتضاح", "چرا", "ممنون"):
                if word in text:
                    text = text.replace(word, word + word[-1] * rng.randint(2, 5), 1)
                    break
        if rng.random() < 0.1:
            text = text.replace("ی", "ي").replace("ک", "ك")
        if rng.random() < 0.2:
            text = text.replace("\u200c", " " if rng.random() < 0.5 else "")
        if rng.random() < 0.03:
            text = text.replace(" ", " \u200f", 1)  # a stray RLM, as some keyboards add
        emoji_pool = {"negative": "emoji_bad", "positive": "emoji_good"}.get(mood, "emoji_meh")
        if rng.random() < 0.45:
            text += " " + rng.choice(SLOTS[emoji_pool]) * rng.choice([1, 1, 1, 2, 3])
        return text

    # -- mentions -------------------------------------------------------------------------------

    def emit(
        self,
        when: datetime,
        text: str,
        *,
        source: str,
        author: Author | None,
        brand: str | None,
        kind: str,
        mood: str,
        conversation_id: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        self.serial += 1
        when = when.replace(microsecond=0)
        rec: dict[str, Any] = {"text": text, "created_at": when.isoformat(), "source": source}
        epoch = int(when.timestamp())
        if source == "x":
            rec["id"] = str(1840000000000000000 + epoch * 4_194_304 % 10**17 + self.serial)
            handle = author.handle if author else "unknown"
            rec["url"] = f"https://x.com/{handle}/status/{rec['id']}"
            views = int((author.followers if author else 100) * self.rng.uniform(0.3, 3)) + self.rng.randint(
                5, 90
            )
            rec["metrics"] = {
                "likes": int(views * self.rng.uniform(0.005, 0.06)),
                "replies": self.rng.randint(0, 6),
                "reposts": int(views * self.rng.uniform(0, 0.01)),
                "views": views,
            }
        elif source == "instagram":
            rec["id"] = str(17_900_000_000_000_000 + epoch * 10_000 + self.serial)
            code = hashlib.sha1(rec["id"].encode()).hexdigest()[:11]
            rec["url"] = f"https://www.instagram.com/p/{code}/"
            rec["metrics"] = {"likes": self.rng.randint(0, 120), "comments": self.rng.randint(0, 15)}
        elif source == "telegram":
            channel = extra.pop("channel")
            rec["id"] = f"{channel}/{3000 + self.serial}"
            rec["url"] = f"https://t.me/s/{channel}/{3000 + self.serial}"
            rec["metrics"] = {"views": self.rng.randint(800, 40_000)}
        else:  # web/rss news: no native id, Shenava derives one from the content
            rec["url"] = f"https://{extra.pop('domain')}.example/news/{240_000 + self.serial}"
        if author is not None:
            rec["author"] = author.handle
            rec["author_name"] = author.name
            rec["author_followers"] = author.followers
        rec["lang"] = extra.pop("lang", "fa")
        if conversation_id:
            rec["conversation_id"] = conversation_id
        # not part of the import format: the generator's own ground truth, kept for analysts
        rec["sample"] = {"brand": brand, "kind": kind, "mood": mood, **extra}
        self.lines.append(rec)
        return rec

    def organic(self, when: datetime) -> None:
        rng = self.rng
        brand = rng.choices(list(BRANDS), weights=[b["weight"] for b in BRANDS.values()])[0]
        domain = BRANDS[brand]["domain"]
        author = rng.choice(self.authors)
        source = rng.choices(["x", "instagram", "telegram"], weights=[0.66, 0.28, 0.06])[0]
        roll = rng.random()
        if roll < 0.03:
            self.emit(
                when,
                rng.choice(UNRELATED),
                source="x",
                author=author,
                brand=None,
                kind="unrelated",
                mood="neutral",
            )
            return
        if roll < 0.09:
            self._news(when, brand, rng.choice(NEWS[domain]), "news")
            return
        if roll < 0.15:
            text = self.fill(rng.choice(ADS[domain]), brand)
            if source == "telegram":
                self._telegram(when, text, brand, "ad")
            else:
                self.emit(
                    when,
                    text + " " + rng.choice(["🛒", "💳", "✨"]),
                    source="instagram",
                    author=Author(BRANDS[brand]["handles"][0], BRANDS[brand]["fa"][0], 95_000),
                    brand=brand,
                    kind="ad",
                    mood="neutral",
                )
            return
        source = "x" if source == "telegram" else source
        lang = rng.choices(["fa", "finglish", "en"], weights=[0.86, 0.09, 0.05])[0]
        if roll < 0.25:
            mood, aspect = "neutral", None
            if lang == "fa":
                text = self.vary(self.fill(rng.choice(QUESTIONS[domain]), brand), mood)
            else:
                table = FINGLISH if lang == "finglish" else ENGLISH
                text = self.fill(rng.choice(table[("any", "neutral")]), brand, lang)
        else:
            mood = "negative" if roll < 0.66 else "positive"
            aspect = rng.choice([a for (d, a) in COMPLAINTS if d == domain])
            if lang == "fa":
                pool = (COMPLAINTS if mood == "negative" else PRAISE)[(domain, aspect)]
                closers = NEG_CLOSERS if mood == "negative" else POS_CLOSERS
                openers = NEG_OPENERS if mood == "negative" else POS_OPENERS
                template = rng.choice(pool)
                core = self.fill(template, brand)
                ref = self.brand_ref(brand)
                if "{b}" in template:
                    text = rng.choice(openers) + core + rng.choice(closers)
                elif rng.random() < 0.5:
                    text = f"{rng.choice(openers)}{ref} {core}{rng.choice(closers)}"
                else:
                    text = f"{core}{rng.choice(closers)} {ref}"
                text = self.vary(text, mood)
            else:
                table = FINGLISH if lang == "finglish" else ENGLISH
                text = self.fill(rng.choice(table[(domain, mood)]), brand, lang)
                if rng.random() < 0.4:
                    text += " " + rng.choice(SLOTS["emoji_bad" if mood == "negative" else "emoji_good"])
        rec = self.emit(
            when,
            text,
            source=source,
            author=author,
            brand=brand,
            kind="opinion",
            mood=mood,
            aspect=aspect,
            lang=lang,
        )
        tagged = mood != "positive" and "@" in text and rng.random() < 0.7
        if source == "x" and (tagged or (mood == "negative" and rng.random() < 0.12)):
            self._conversation(rec, brand, author, when, outage=False)

    def _news(self, when: datetime, brand: str, template: str, kind: str) -> None:
        handle, name, followers = self.rng.choice(NEWS_OUTLETS)
        text = self.fill(template, brand)
        roll = self.rng.random()
        if roll < 0.45:  # RSS/web page: no native id, no author
            domain = handle.replace("_", "-")
            self.emit(
                when, text, source="web", author=None, brand=brand, kind=kind, mood="neutral", domain=domain
            )
        elif roll < 0.6:  # a Telegram channel relays the headline
            self._telegram(when, text, brand, kind)
        else:
            link = f"https://{handle.replace('_', '-')}.example/n/{self.rng.randint(10_000, 99_999)}"
            self.emit(
                when,
                f"{text} {link}",
                source="x",
                author=Author(handle, name, followers),
                brand=brand,
                kind=kind,
                mood="neutral",
            )

    def _telegram(self, when: datetime, text: str, brand: str, kind: str) -> None:
        """A channel post (ad or relayed headline): no author account, a channel and a view count."""
        channel = self.rng.choice(TELEGRAM_CHANNELS)
        self.emit(
            when,
            text,
            source="telegram",
            author=None,
            brand=brand,
            kind=kind,
            mood="neutral",
            channel=channel,
        )

    def _conversation(
        self, root: dict[str, Any], brand: str, author: Author, when: datetime, *, outage: bool
    ) -> None:
        """The brand's support account answers; sometimes the customer comes back."""
        rng = self.rng
        support = BRANDS[brand]["handles"][-1]
        delay = timedelta(minutes=rng.uniform(5, 50) if not outage else rng.uniform(60, 200))
        pool = OUTAGE_SUPPORT if outage else SUPPORT_REPLIES[brand]
        reply = rng.choice(pool).format(name=author.name.split()[0])
        agent = Author(support, f"پشتیبانی {BRANDS[brand]['fa'][0]}", 48_000)
        self.emit(
            when + delay,
            f"@{author.handle} {reply}",
            source="x",
            author=agent,
            brand=brand,
            kind="support_reply",
            mood="neutral",
            conversation_id=root["id"],
        )
        if rng.random() < 0.45:
            mood = "negative" if outage or rng.random() < 0.6 else "positive"
            text = f"@{support} {rng.choice(FOLLOW_UPS[mood])}"
            self.emit(
                when + delay + timedelta(minutes=rng.uniform(3, 40)),
                self.vary(text, mood),
                source="x",
                author=author,
                brand=brand,
                kind="follow_up",
                mood=mood,
                conversation_id=root["id"],
            )

    def outage(self, day_start: datetime) -> None:
        """Day 5: Sabzino's delivery system fails in the evening; complaints burst for hours."""
        rng = self.rng
        t = day_start + timedelta(hours=OUTAGE_START_H)
        end = day_start + timedelta(hours=OUTAGE_END_H)
        while t < end:
            # intensity jumps within ~15 minutes (orders due at 17:00 all fail), holds, then fades
            progress = (t - day_start).total_seconds() / 3600 - OUTAGE_START_H
            rate = (
                2.4
                * min(1.0, 0.25 + 3 * progress)
                * (1.0 if progress < 3.5 else max(0.3, 1 - (progress - 3.5)))
            )
            t += timedelta(minutes=rng.expovariate(max(rate, 0.15)))
            if t >= end:
                break
            author = rng.choice(self.authors)
            lang = rng.choices(["fa", "finglish", "en"], weights=[0.88, 0.08, 0.04])[0]
            if rng.random() < 0.03:
                self._news(t, "sabzino", rng.choice(OUTAGE_NEWS), "outage_news")
                continue
            if lang == "fa":
                started = day_start + timedelta(hours=OUTAGE_START_H - rng.uniform(0, 1))
                text = rng.choice(OUTAGE).format(
                    b=self.brand_ref("sabzino"),
                    hours=rng.choice(["دو", "سه", "۲", "۳"]),
                    start=started.strftime("%H:%M"),
                    now=t.strftime("%H:%M"),
                )
                text = self.vary(rng.choice(NEG_OPENERS) + text + rng.choice(NEG_CLOSERS), "negative")
            else:
                pool = OUTAGE_FINGLISH if lang == "finglish" else OUTAGE_ENGLISH
                text = rng.choice(pool).format(b=self.brand_ref("sabzino", lang), h=rng.randint(2, 4))
            source = rng.choices(["x", "instagram"], weights=[0.8, 0.2])[0]
            aspect = (
                "support" if "پشتیبانی" in text or "poshtibani" in text or "support" in text else "delivery"
            )
            rec = self.emit(
                t,
                text,
                source=source,
                author=author,
                brand="sabzino",
                kind="outage",
                mood="negative",
                aspect=aspect,
                lang=lang,
            )
            if source == "x" and rng.random() < 0.15:
                self._conversation(rec, "sabzino", author, t, outage=True)

    def run(self) -> list[dict[str, Any]]:
        for day in range(DAYS):
            day_start = START + timedelta(days=day)
            weekend = day_start.weekday() in (3, 4)  # Thursday, Friday
            for hour in range(24):
                rate = HOURLY[hour] * (WEEKEND_SCALE * WEEKEND_SHIFT[hour] if weekend else 1.0)
                for _ in range(self._poisson(rate)):
                    when = day_start + timedelta(hours=hour, seconds=self.rng.randrange(3600))
                    self.organic(when)
            if day == OUTAGE_DAY:
                self.outage(day_start)
        end = START + timedelta(days=DAYS)
        lines = [rec for rec in self.lines if datetime.fromisoformat(rec["created_at"]) < end]
        lines.sort(key=lambda rec: (rec["created_at"], rec.get("id") or rec.get("url", "")))
        return lines

    def _poisson(self, lam: float) -> int:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1


def render(seed: int = DEFAULT_SEED) -> str:
    """The sample as JSONL text (deterministic for a given seed)."""
    lines = Generator(seed).run()
    return "".join(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n" for rec in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL file")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    text = render(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} mentions ({len(text.encode()) / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
