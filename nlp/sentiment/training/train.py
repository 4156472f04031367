"""Step 2 (GPU): MLM pre-training of a compact BERT, then 3-class fine-tuning; saves the best model.

Self-contained on purpose (torch + transformers + numpy only, no project imports, no hazm) so it runs on the
GPU machine from the folder ``prepare.py`` wrote:

    python3 nlp/sentiment/training/train.py --data .gpu/data --out $OUT/run --mlm-steps 6000

Reproducible for a seed (up to GPU kernel non-determinism). Writes ``metrics.json``, ``train.log`` lines on
stdout, ``model/`` (the selected fine-tuned classifier in fp16 with the tokenizer) and ``dev_probs.json``.
Model selection (which fine-tuning config, which epoch) uses ``val.jsonl`` (5% of train); ``dev.jsonl`` is
only ever evaluated, never used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertForMaskedLM,
    BertForSequenceClassification,
)

LABELS = ("negative", "neutral", "positive")
START = time.time()


def log(msg: str) -> None:
    print(f"[{time.time() - START:7.1f}s] {msg}", flush=True)


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the classes present in ``gold`` (a binary set is scored on negative/positive)."""
    scores = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def per_dataset_f1(rows: list[dict], preds: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in sorted({r["dataset"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["dataset"] == name]
        out[name] = macro_f1([rows[i]["label"] for i in idx], [preds[i] for i in idx])
    out["mean"] = sum(out.values()) / len(out)
    return out


def model_config(args: argparse.Namespace, tokenizer) -> BertConfig:
    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=args.hidden,
        num_hidden_layers=args.layers,
        num_attention_heads=args.hidden // 64,
        intermediate_size=args.hidden * 4,
        max_position_embeddings=args.max_len,
        type_vocab_size=1,
        pad_token_id=tokenizer.pad_token_id,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )


def lr_lambda(warmup: int, total: int):
    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    return f


# ---------------------------------------------------------------- MLM pre-training
def pretrain(args, tokenizer, device) -> BertForMaskedLM:
    ids = torch.from_numpy(np.load(args.data / "mlm_ids.npy").astype(np.int64))
    body = args.max_len - 2
    n_seq = len(ids) // body
    seqs = ids[: n_seq * body].view(n_seq, body)
    cls = torch.full((n_seq, 1), tokenizer.cls_token_id)
    sep = torch.full((n_seq, 1), tokenizer.sep_token_id)
    data = torch.cat([cls, seqs, sep], dim=1).to(device)
    log(f"MLM corpus: {len(ids)} tokens -> {n_seq} sequences of {args.max_len}")
    model = BertForMaskedLM(model_config(args, tokenizer)).to(device)
    log(f"model parameters: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M")
    if args.mlm_steps <= 0:
        return model
    opt = torch.optim.AdamW(
        model.parameters(),
        lr=args.mlm_lr,
        weight_decay=0.01,
        betas=(0.9, 0.98),
        eps=1e-6,
        fused=device.type == "cuda",
    )
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(int(args.mlm_steps * 0.06), args.mlm_steps))
    special = torch.tensor(
        [tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id], device=device
    )
    gen = torch.Generator(device=device).manual_seed(args.seed)
    model.train()
    losses: list[float] = []
    for step in range(args.mlm_steps):
        batch = data[torch.randint(0, n_seq, (args.mlm_batch,), device=device, generator=gen)]
        labels = batch.clone()
        prob = torch.rand(batch.shape, device=device, generator=gen)
        masked = (prob < 0.15) & ~torch.isin(batch, special)
        labels[~masked] = -100
        inputs = batch.clone()
        r = torch.rand(batch.shape, device=device, generator=gen)
        inputs[masked & (r < 0.8)] = tokenizer.mask_token_id
        rand_tok = torch.randint(5, len(tokenizer), batch.shape, device=device, generator=gen)
        swap = masked & (r >= 0.8) & (r < 0.9)
        inputs[swap] = rand_tok[swap]
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            loss = model(input_ids=inputs, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item() if step % 50 == 0 or step == args.mlm_steps - 1 else losses[-1])
        if step % args.log_every == 0 or step == args.mlm_steps - 1:
            log(f"mlm step {step}/{args.mlm_steps} loss {losses[-1]:.3f} lr {sched.get_last_lr()[0]:.2e}")
        if time.time() - START > args.mlm_max_seconds:
            log(f"mlm time budget reached at step {step}")
            break
    args.mlm_final_loss = float(np.mean(losses[-200:]))
    args.mlm_first_loss = losses[0]
    args.mlm_done_steps = step + 1
    return model


# ---------------------------------------------------------------- fine-tuning
def encode(tokenizer, rows: list[dict], max_len: int) -> list[list[int]]:
    return tokenizer([r["text"] for r in rows], truncation=True, max_length=max_len)["input_ids"]


def to_tensor(enc: list[list[int]], pad: int, device):
    """All sequences padded once to the longest, on the device; batches are sliced to their own width."""
    width = max(len(x) for x in enc)
    ids = torch.full((len(enc), width), pad, dtype=torch.long)
    for i, x in enumerate(enc):
        ids[i, : len(x)] = torch.tensor(x)
    return ids.to(device), torch.tensor([len(x) for x in enc], device=device)


def batch_of(ids: torch.Tensor, lengths: torch.Tensor, idx):
    width = int(lengths[idx].max())
    sub = ids[idx, :width]
    mask = (torch.arange(width, device=ids.device)[None, :] < lengths[idx][:, None]).long()
    return sub, mask


@torch.no_grad()
def predict_probs(model, enc, device, batch: int = 512) -> np.ndarray:
    model.eval()
    ids, lengths = enc
    order = torch.argsort(lengths).cpu()
    out = np.zeros((len(lengths), 3), dtype=np.float32)
    for s in range(0, len(order), batch):
        idx = order[s : s + batch].to(device)
        sub, mask = batch_of(ids, lengths, idx)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=sub, attention_mask=mask).logits
        out[idx.cpu().numpy()] = torch.softmax(logits.float(), -1).cpu().numpy()
    model.train()
    return out


def evaluate(model, data, device) -> tuple[dict, dict, np.ndarray]:
    _, _, val_rows, val_enc, dev_rows, dev_enc = data
    val_pred = [LABELS[i] for i in predict_probs(model, val_enc, device).argmax(1)]
    dev_probs = predict_probs(model, dev_enc, device)
    dev_pred = [LABELS[i] for i in dev_probs.argmax(1)]
    return per_dataset_f1(val_rows, val_pred), per_dataset_f1(dev_rows, dev_pred), dev_probs


def finetune(args, cfg: dict, init_state, tokenizer, data, device):
    """One fine-tuning run; returns (best val mean F1, best state, log of epochs)."""
    seed_all(args.seed)
    config = model_config(args, tokenizer)
    config.num_labels = 3
    config.id2label = dict(enumerate(LABELS))
    config.label2id = {v: k for k, v in config.id2label.items()}
    config.hidden_dropout_prob = cfg.get("dropout", 0.1)
    model = BertForSequenceClassification(config)
    if init_state is not None:
        missing, _ = model.load_state_dict(init_state, strict=False)
        assert all(k.startswith("classifier") or "pooler" in k for k in missing), missing
    model.to(device)
    train_rows, train_enc = data[0], data[1]
    y = torch.tensor([LABELS.index(r["label"]) for r in train_rows], device=device)
    # "binary" mode: texts from sets with no neutral class (SnappFood, Instagram) are trained on the
    # negative-vs-positive softmax only, so they do not teach the model that nothing is ever neutral.
    three_way = {r["dataset"] for r in train_rows if r["label"] == "neutral"}
    binary_row = torch.tensor([r["dataset"] not in three_way for r in train_rows], device=device)
    # Dataset balancing: sample each dataset with weight ~ size**alpha (alpha 1 = natural mix).
    sizes: dict[str, int] = {}
    for r in train_rows:
        sizes[r["dataset"]] = sizes.get(r["dataset"], 0) + 1
    alpha = cfg.get("alpha", 1.0)
    w = np.array([sizes[r["dataset"]] ** (alpha - 1.0) for r in train_rows])
    w /= w.sum()
    n = len(train_rows)
    steps_per_epoch = n // cfg["batch"]
    total = steps_per_epoch * cfg["epochs"]
    no_decay = ("bias", "LayerNorm.weight")
    params = [
        {
            "params": [p for k, p in model.named_parameters() if not any(x in k for x in no_decay)],
            "weight_decay": 0.01,
        },
        {
            "params": [p for k, p in model.named_parameters() if any(x in k for x in no_decay)],
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(params, lr=cfg["lr"], fused=device.type == "cuda")
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(int(total * 0.1), total))
    rng = np.random.default_rng(args.seed)
    neutral_col = torch.tensor([lab == "neutral" for lab in LABELS], device=device)
    best = (-1.0, None, -1)
    history = []
    model.train()
    for epoch in range(cfg["epochs"]):
        order = rng.choice(n, size=n, replace=True, p=w) if alpha != 1.0 else rng.permutation(n)
        for s in range(steps_per_epoch):
            idx = order[s * cfg["batch"] : (s + 1) * cfg["batch"]]
            idx = torch.from_numpy(idx).to(device)
            ids, mask = batch_of(train_enc[0], train_enc[1], idx)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(input_ids=ids, attention_mask=mask).logits
            logits = logits.float()
            if cfg.get("binary"):
                logits = logits.masked_fill(binary_row[idx][:, None] & (neutral_col[None, :]), -1e4)
            loss = F.cross_entropy(logits, y[idx], label_smoothing=cfg.get("smooth", 0.0))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
        v, d, dev_probs = evaluate(model, data, device)
        history.append({"epoch": epoch + 1, "val": v, "dev": d, "loss": loss.item()})
        log(
            f"  {cfg['name']} epoch {epoch + 1}: val mean {v['mean']:.4f} | dev "
            + " ".join(f"{k} {x:.3f}" for k, x in d.items())
        )
        if v["mean"] > best[0]:
            state = {k: t.detach().to("cpu", copy=True) for k, t in model.state_dict().items()}
            best = (v["mean"], (state, config, dev_probs, d), epoch + 1)
    return best, history


def run_record(cfg: dict, score: float, payload, epoch: int, history: list) -> dict:
    return {
        "config": cfg,
        "best_epoch": epoch,
        "best_val_mean": score,
        "dev_at_best": payload[3],
        "history": history,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--mlm-steps", type=int, default=6000)
    ap.add_argument("--mlm-batch", type=int, default=512)
    ap.add_argument("--mlm-lr", type=float, default=7e-4)
    ap.add_argument("--mlm-max-seconds", type=float, default=270.0)
    ap.add_argument("--deadline", type=float, default=450.0, help="seconds; later configs are skipped")
    ap.add_argument("--log-every", type=int, default=250)
    ap.add_argument(
        "--configs",
        type=str,
        default="default",
        help="JSON list of fine-tuning configs, or 'default', or 'tiny'",
    )
    ap.add_argument("--limit", type=int, default=None, help="use only the first N rows of each split (smoke)")
    ap.add_argument(
        "--scratch", action="store_true", help="also fine-tune without pre-training (for the notes)"
    )
    args = ap.parse_args()
    seed_all(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        log(f"device {torch.cuda.get_device_name()} torch {torch.__version__}")
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(args.data / "tokenizer"))

    mlm = pretrain(args, tokenizer, device)
    encoder_state = {
        k.replace("bert.", "bert.", 1): v.detach().cpu()
        for k, v in mlm.state_dict().items()
        if k.startswith("bert.")
    }
    del mlm
    torch.cuda.empty_cache()

    rows = [read_jsonl(args.data / f"{s}.jsonl")[: args.limit] for s in ("train", "val", "dev")]
    data = []
    for r in rows:
        data += [r, to_tensor(encode(tokenizer, r, args.max_len), tokenizer.pad_token_id, device)]
    if args.configs == "default":
        configs = [
            # The sweep that produced the bundled model (run 1; lr1e-4_e5_bal was selected on val).
            {"name": "lr1e-4_e4", "lr": 1e-4, "epochs": 4, "batch": 32},
            {"name": "lr2e-4_e4", "lr": 2e-4, "epochs": 4, "batch": 32},
            {"name": "lr1e-4_e5_bal", "lr": 1e-4, "epochs": 5, "batch": 32, "alpha": 0.5},
            {"name": "lr5e-5_e6_smooth", "lr": 5e-5, "epochs": 6, "batch": 32, "smooth": 0.1},
        ]
    elif args.configs == "tiny":
        configs = [{"name": "tiny", "lr": 2e-4, "epochs": 1, "batch": 64}]
    else:
        configs = json.loads(args.configs)
    results = {}
    best_overall = None
    for cfg in configs:
        if best_overall is not None and time.time() - START > args.deadline:
            log(f"time budget: skipping fine-tuning config {cfg['name']}")
            continue
        (score, payload, epoch), hist = finetune(args, cfg, encoder_state, tokenizer, data, device)
        results[cfg["name"]] = run_record(cfg, score, payload, epoch, hist) | {"state": payload[0]}
        if best_overall is None or score > best_overall[0]:
            best_overall = (score, cfg["name"], payload)
    # Uniform "model soup": the average of every config's best weights (same pre-trained start).
    if len(results) > 1:
        states = [r["state"] for r in results.values()]
        soup_state = {k: sum(st[k].float() for st in states) / len(states) for k in states[0]}
        soup = BertForSequenceClassification(best_overall[2][1])
        soup.load_state_dict(soup_state)
        soup.to(device)
        v, d, dev_probs = evaluate(soup, data, device)
        log(f"  soup: val mean {v['mean']:.4f} | dev " + " ".join(f"{k} {x:.3f}" for k, x in d.items()))
        results["soup"] = {"config": "average of all configs", "best_val_mean": v["mean"], "dev_at_best": d}
        if v["mean"] > best_overall[0]:
            best_overall = (v["mean"], "soup", (soup_state, best_overall[2][1], dev_probs, d))
        del soup
    score, name, (state, config, dev_probs, dev_f1) = best_overall
    log(f"selected {name} (val mean {score:.4f}); dev {json.dumps(dev_f1)}")
    model = BertForSequenceClassification(config)
    model.load_state_dict(state)
    model.half().save_pretrained(str(args.out / "model"), safe_serialization=True)
    tokenizer.save_pretrained(str(args.out / "model"))
    (args.out / "dev_probs.json").write_text(json.dumps(dev_probs.round(5).tolist()))
    metrics = {
        "selected": name,
        "runs": results,
        "seed": args.seed,
        "model": {
            "hidden": args.hidden,
            "layers": args.layers,
            "max_len": args.max_len,
            "params_m": sum(p.numel() for p in model.parameters()) / 1e6,
        },
        "mlm": {
            "steps": getattr(args, "mlm_done_steps", 0),
            "batch": args.mlm_batch,
            "lr": args.mlm_lr,
            "first_loss": getattr(args, "mlm_first_loss", None),
            "final_loss": getattr(args, "mlm_final_loss", None),
        },
        "seconds": time.time() - START,
    }
    for r in results.values():
        r.pop("state", None)
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    if args.scratch and time.time() - START < args.deadline:
        cfg = dict(configs[0], name="scratch_" + configs[0]["name"])
        (score, payload, epoch), hist = finetune(args, cfg, None, tokenizer, data, device)
        results[cfg["name"]] = run_record(cfg, score, payload, epoch, hist)

        (args.out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    log(f"done in {time.time() - START:.0f}s")


if __name__ == "__main__":
    main()
