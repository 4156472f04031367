"""Continue training the bundled model on CPU with neutral data; calibrate it with a temperature.

    nice -n 10 .venv/bin/python -m nlp.sentiment.training.cpu_finetune --out /tmp/ft --top-layers 2

Starts from ``nlp/sentiment/model`` and trains only its top ``--top-layers`` encoder layers, the pooler and
the classifier (the lower layers and embeddings stay frozen: what fits on two shared CPU cores). Data:

- the labelled training split of ``data.py`` (dev never), with the two big binary sets subsampled
  (``--cap``) so that the three-class sets and the neutral data weigh more;
- neutral text: E1's rule-selected news sentences and questions (``neutral_rule.load_texts``) and the
  hand-written examples (``neutral_written.jsonl``), split 85/15 into train/val by a fixed seed.

Validation (for choosing the checkpoint, the temperature and the decision rule) is the same 5% of the
training split that ``prepare.py`` held back for the GPU runs, plus the neutral val part; the dev splits and
the everyday set are never read here. The temperature T (logits / T minimising the validation negative
log-likelihood) is baked into the classifier (weights and bias divided by T), so every backend returns
calibrated probabilities without extra code. Writes ``model/`` (fp16, like the bundled model) and
``metrics.json``; export with ``export.py`` and measure with ``benchmarks/bench_sentiment.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.sentiment.emotion import EMOTIONS
from nlp.sentiment.evaluation import expected_calibration_error, macro_f1
from nlp.sentiment.loader import BUILTIN_DIR
from nlp.sentiment.preprocess import preprocess
from nlp.sentiment.training.data import SEED, make_splits
from nlp.sentiment.training.prepare import VAL_FRACTION

LABELS = ("negative", "neutral", "positive")
WRITTEN = Path(__file__).resolve().parent / "neutral_written.jsonl"
NEUTRAL_VAL_FRACTION = 0.15
# hand-written mentions of all three labels (WRITTEN_MENTIONS.md); a fifth of them validate
WRITTEN_MENTIONS_GLOB = "written_mentions_*.jsonl"
WRITTEN_VAL_FRACTION = 0.2
BINARY_SETS = frozenset({"snappfood", "insta"})  # review sets labelled negative / positive only


@dataclass(frozen=True)
class Row:
    text: str  # preprocessed
    label: str
    dataset: str


def neutral_rows() -> list[Row]:
    from nlp.sentiment.training.neutral_rule import load_texts, read_spans

    spans = read_spans()
    rows = [
        Row(preprocess(t), "neutral", f"neutral_{s.kind}")
        for s, t in zip(spans, load_texts(spans), strict=True)
    ]
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(Row(preprocess(json.loads(line)["text"]), "neutral", "neutral_written"))
    return [r for r in rows if r.text]


def written_mention_files() -> list[list[Row]]:
    """The hand-written social mentions (sarcasm, taarof, ads, questions, Finglish: what the review sets
    lack), one list per file, Finglish transliterated as every backend does before scoring."""
    from nlp.sentiment.script import model_text

    files = []
    for path in sorted(WRITTEN.parent.glob(WRITTEN_MENTIONS_GLOB)):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append(Row(model_text(item["text"]), item["label"], "written"))
        files.append([r for r in rows if r.text])
    return files


def pseudo_rows(path: Path) -> list[Row]:
    """Rows of a ``pseudo_label.py`` file (texts already in model form)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append(Row(item["text"], item["label"], "pseudo"))
    return rows


def build_sets(cap: dict[str, int], seed: int = SEED) -> tuple[list[Row], list[Row]]:
    """(train, val); val = prepare.py's 5% of the labelled training split + 15% of the neutral data + a fifth
    of each file of hand-written mentions."""
    splits = make_splits()
    train = list(splits.train)
    random.Random(SEED).shuffle(train)  # exactly prepare.py's val/train cut
    n_val = round(len(train) * VAL_FRACTION)
    val = [Row(preprocess(e.text), e.label, e.dataset) for e in train[:n_val]]
    rest = [Row(preprocess(e.text), e.label, e.dataset) for e in train[n_val:]]
    rng = random.Random(seed)
    kept: list[Row] = []
    for name in sorted({r.dataset for r in rest}):
        rows = [r for r in rest if r.dataset == name]
        if name in cap and len(rows) > cap[name]:
            rows = rng.sample(rows, cap[name])
        kept.extend(rows)
    neutral = neutral_rows()
    rng.shuffle(neutral)
    n_nval = round(len(neutral) * NEUTRAL_VAL_FRACTION)
    val += [Row(r.text, r.label, "neutral") for r in neutral[:n_nval]]
    kept += neutral[n_nval:]
    # each file splits on its own, so a file added later leaves the earlier files' validation part as it was
    # (a model trained before it is then compared on rows it never trained on)
    for mentions in written_mention_files():
        random.Random(seed).shuffle(mentions)
        n_wval = round(len(mentions) * WRITTEN_VAL_FRACTION)
        val += mentions[:n_wval]
        kept += mentions[n_wval:]
    rng.shuffle(kept)
    return kept, val


def per_dataset_f1(rows: list[Row], pred: list[str]) -> dict[str, float]:
    out = {}
    for name in sorted({r.dataset for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.dataset == name]
        out[name] = macro_f1([rows[i].label for i in idx], [pred[i] for i in idx])
    out["mean"] = float(np.mean(list(out.values())))
    return out


def pad(seqs: list[list[int]], pad_id: int):  # -> (ids, attention mask), torch tensors
    import torch

    width = max(map(len, seqs))
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def logits_by_length(model, ids: list[list[int]], pad_id: int) -> np.ndarray:
    """(texts, classes) float64 logits of token id lists, scored in length-sorted batches of 64 (little
    padding); the caller puts the model in eval mode."""
    import torch

    out = np.zeros((len(ids), model.config.num_labels), dtype=np.float64)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.inference_mode():
        for s in range(0, len(order), 64):
            idx = order[s : s + 64]
            x, mask = pad([ids[i] for i in idx], pad_id)
            out[idx] = model(input_ids=x, attention_mask=mask).logits.double().numpy()
    return out


def emotion_targets(rows: list[Row]):  # -> torch tensor
    """Each ArmanEmo row's emotion as an index into ``EMOTIONS`` (ArmanEmo's own label, as the emotion head
    learns it); -1 for every other row and for a text ArmanEmo labels twice."""
    import torch

    from nlp.sentiment.training.emotion_head import armanemo_emotions

    emotion = {preprocess(text): label for text, label in armanemo_emotions()}
    index = {name: i for i, name in enumerate(EMOTIONS)}
    arman = [emotion.get(r.text) if r.dataset == "armanemo" else None for r in rows]
    return torch.tensor([-1 if e is None else index[e] for e in arman])


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The T minimising the negative log-likelihood of softmax(logits / T) (grid, then refined)."""

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        return float(-logp[np.arange(len(gold)), gold].mean())

    grid = np.exp(np.linspace(np.log(0.25), np.log(5.0), 200))
    best = min(grid, key=nll)
    fine = np.linspace(best * 0.97, best * 1.03, 61)
    return float(min(fine, key=nll))


def main() -> None:
    import torch
    import torch.nn.functional as F
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--src", type=Path, default=BUILTIN_DIR)
    ap.add_argument("--top-layers", type=int, default=2)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--cap", type=str, default='{"insta": 3000, "snappfood": 2000}')
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--max-minutes", type=float, default=45.0)
    ap.add_argument("--threads", type=int, default=2)
    # the hand-written mentions are ~4% of the rows: seen this many times an epoch
    ap.add_argument("--written-repeat", type=int, default=1)
    # word embeddings too (4.1M more parameters): words the pre-training rarely saw, e.g. Finglish spellings
    ap.add_argument("--embeddings", action="store_true")
    # confident labels of the bundled model on unlabelled social text (pseudo_label.py): self-training
    ap.add_argument("--pseudo", type=Path, default=None)
    # datasets seen more than once a pass, e.g. '{"armanemo": 2}' (the three-class review sets are small)
    ap.add_argument("--repeat", type=str, default="{}")
    # binary review sets (no neutral label) learn negative vs positive only, not "never neutral"
    ap.add_argument("--binary-loss", action="store_true")
    # ArmanEmo rows also learn their emotion (a second linear head on the pooled output, dropped after
    # training), weighted this much against the polarity loss: finer labels for the weakest three-class set
    ap.add_argument("--emotion-aux", type=float, default=0.0)
    # dropout and batch order only (the data and its validation rows stay the same): run-to-run spread
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    start = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - start:7.1f}s] {msg}", flush=True)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    train, val = build_sets(json.loads(args.cap))
    train += [r for r in train if r.dataset == "written"] * (args.written_repeat - 1)
    for name, times in json.loads(args.repeat).items():
        train += [r for r in train if r.dataset == name] * (int(times) - 1)
    if args.pseudo is not None:
        train += pseudo_rows(args.pseudo)
        random.Random(SEED).shuffle(train)
    counts: dict[str, int] = {}
    for r in train:
        counts[f"{r.dataset}/{r.label}"] = counts.get(f"{r.dataset}/{r.label}", 0) + 1
    log(f"train {len(train)} {json.dumps(counts, sort_keys=True)}; val {len(val)}")

    tokenizer = AutoTokenizer.from_pretrained(str(args.src))
    model = AutoModelForSequenceClassification.from_pretrained(str(args.src), dtype=torch.float32)
    n_layers = model.config.num_hidden_layers
    for p in model.parameters():
        p.requires_grad = False
    trained = [*model.bert.encoder.layer[n_layers - args.top_layers :], model.bert.pooler, model.classifier]
    if args.embeddings:
        trained.append(model.bert.embeddings)
    for module in trained:
        for p in module.parameters():
            p.requires_grad = True
    params = [p for p in model.parameters() if p.requires_grad]
    log(f"training {sum(p.numel() for p in params) / 1e6:.2f}M of {model.num_parameters() / 1e6:.2f}M params")

    def encode(rows: list[Row]) -> list[list[int]]:
        return tokenizer([r.text for r in rows], truncation=True, max_length=128)["input_ids"]

    train_ids, val_ids = encode(train), encode(val)
    y_train = torch.tensor([LABELS.index(r.label) for r in train])
    binary = torch.tensor([r.dataset in BINARY_SETS for r in train])
    neutral_col = torch.tensor([label == "neutral" for label in LABELS]).unsqueeze(0)
    y_val = np.array([LABELS.index(r.label) for r in val])
    y_emotion, emotion_head = None, None
    if args.emotion_aux > 0.0:  # reads ArmanEmo's file again: only when asked for
        y_emotion = emotion_targets(train)
        emotion_head = torch.nn.Linear(model.config.hidden_size, len(EMOTIONS))
        params += list(emotion_head.parameters())
        log(f"emotion auxiliary loss x{args.emotion_aux} on {int((y_emotion >= 0).sum())} rows")

    def val_logits() -> np.ndarray:
        model.eval()
        out = logits_by_length(model, val_ids, tokenizer.pad_token_id)
        model.train()
        return out

    def batches(rng: random.Random) -> list[list[int]]:
        """Shuffled, then length-sorted within pools of 50 batches: little padding, random batches."""
        order = list(range(len(train)))
        rng.shuffle(order)
        pool = args.batch * 50
        out = []
        for s in range(0, len(order), pool):
            chunk = sorted(order[s : s + pool], key=lambda i: len(train_ids[i]))
            out += [chunk[j : j + args.batch] for j in range(0, len(chunk), args.batch)]
        rng.shuffle(out)
        return out

    steps_per_epoch = len(train) // args.batch
    total = int(steps_per_epoch * args.epochs)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup))
    )
    logits0 = val_logits()
    f1_0 = per_dataset_f1(val, [LABELS[i] for i in logits0.argmax(1)])
    log(f"val before: {json.dumps({k: round(v, 4) for k, v in f1_0.items()})}")
    best = (f1_0["mean"], 0, {k: t.clone() for k, t in model.state_dict().items()}, f1_0)
    history = [{"step": 0, "val": f1_0}]
    rng = random.Random(args.seed)
    step, stopped = 0, None
    model.train()
    while step < total and stopped is None:
        for batch in batches(rng):
            ids, mask = pad([train_ids[i] for i in batch], tokenizer.pad_token_id)
            pooled = model.dropout(model.bert(input_ids=ids, attention_mask=mask).pooler_output)
            logits = model.classifier(pooled)
            if args.binary_loss:
                # a binary row's neutral logit is left out of its softmax (masked to -inf)
                logits = logits.masked_fill(binary[batch].unsqueeze(1) & neutral_col, float("-inf"))
            loss = F.cross_entropy(logits, y_train[batch])
            if emotion_head is not None and y_emotion is not None and (y_emotion[batch] >= 0).any():
                loss = loss + args.emotion_aux * F.cross_entropy(
                    emotion_head(pooled), y_emotion[batch], ignore_index=-1
                )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            if step % args.eval_every == 0 or step == total:
                f1 = per_dataset_f1(val, [LABELS[i] for i in val_logits().argmax(1)])
                history.append({"step": step, "loss": loss.item(), "val": f1})
                rounded = {k: round(v, 4) for k, v in f1.items()}
                log(f"step {step}/{total} loss {loss.item():.3f} val {json.dumps(rounded)}")
                if f1["mean"] > best[0]:
                    best = (f1["mean"], step, {k: t.clone() for k, t in model.state_dict().items()}, f1)
            if step >= total:
                break
            if time.time() - start > args.max_minutes * 60:
                stopped = f"time budget reached at step {step}"
                log(stopped)
                break
    train_seconds = time.time() - start
    model.load_state_dict(best[2])
    log(f"selected step {best[1]} (val mean {best[0]:.4f})")

    logits = val_logits()
    temperature = fit_temperature(logits, y_val)
    ece_before = expected_calibration_error(softmax(logits), y_val)
    ece_after = expected_calibration_error(softmax(logits / temperature), y_val)
    log(f"temperature {temperature:.3f}; val ECE {ece_before:.4f} -> {ece_after:.4f} (in-sample for T)")
    # The decision rule: argmax of the calibrated probabilities. For the record, what a neutral margin
    # (added to the neutral logit) would do on val.
    margins = {}
    for delta in np.round(np.arange(-1.0, 2.01, 0.25), 2):
        z = logits / temperature
        z[:, 1] += delta
        margins[float(delta)] = per_dataset_f1(val, [LABELS[i] for i in z.argmax(1)])["mean"]
    log(f"val mean macro-F1 by neutral margin: {json.dumps(margins)}")

    with torch.no_grad():
        model.classifier.weight /= temperature
        model.classifier.bias /= temperature
    dst = args.out / "model"
    model.half().save_pretrained(str(dst), safe_serialization=True)
    tokenizer.save_pretrained(str(dst))
    metrics = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "train_counts": counts,
        "val_n": len(val),
        "steps": step,
        "stopped": stopped,
        "selected_step": best[1],
        "val_before": f1_0,
        "val_selected": best[3],
        "history": history,
        "temperature": temperature,
        "val_ece_before": ece_before,
        "val_ece_after": ece_after,
        "val_margin_f1": margins,
        "train_seconds": train_seconds,
        "total_seconds": time.time() - start,
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    log("done")


if __name__ == "__main__":
    main()
