#!/usr/bin/python3
"""Builds tiny stand-ins for the ONNX export of musicgen-small (the layout transformers.js loads), with the same file
names, input/output names, dtypes and dynamic axes as the real export, and weights small enough to make in a blink.

Every model computes a known rule, so the C# pipeline's results can be predicted exactly (tests/Shared/TinyMusicGen):
- text_encoder: last_hidden_state[b, t] = [ids[b, t] mod 512, 0, 0, 0] (D = 4).
- decoder_model_merged (2 layers, 4 heads of width 2, an If on use_cache_branch):
  present.{i}.decoder.key/value = past ++ the fed ids (row (b, k) -> head k), key scaled by i + 1;
  present.{i}.encoder.* = the text's masked sums (no-cache branch) or the past encoder cache unchanged (cache branch);
  logits[(b, k), s, v] = -0.5 * |v - t| with t = (S + 3k + 5p + E) mod 2048, where p is the absolute position,
  S the sum of every id fed for batch b up to p (read back from the decoder cache, so a cache not fed back shows) and
  E the masked sum of the text's ids (read from the encoder cache in the cache branch; 0 for the unconditional half).
- encodec_decode: 640 samples a frame; sample f*640 + 4j + k = (codes[k][f] - 1024) / 4096.
Variants: "nan" (logits are NaN from position 3 on), "wrong-names" (the decoder's "logits" output is called "scores").
Usage: make_tiny_musicgen.py OUT_DIR [good|nan|wrong-names] [--flat] [--quantized]
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

K, V, L, H, HD, D, TEXT_V = 4, 2048, 2, 4, 2, 4, 512
OPSET = [helper.make_opsetid("", 17)]


def const(name, values, dtype=np.int64):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array(values, dtype=dtype), name))


def model(graph):
    m = helper.make_model(graph, opset_imports=OPSET, producer_name="orbitr-tiny-musicgen")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def text_encoder():
    emb = np.zeros((TEXT_V, D), np.float32)
    emb[:, 0] = np.arange(TEXT_V)
    nodes = [
        const("text_v", TEXT_V),
        helper.make_node("Mod", ["input_ids", "text_v"], ["ids_mod"]),
        helper.make_node("Gather", ["embedding", "ids_mod"], ["last_hidden_state"], axis=0),
        # The mask is an input of the real encoder too (attention); here it only has to be accepted.
        helper.make_node("Shape", ["attention_mask"], ["mask_shape"]),
    ]
    g = helper.make_graph(
        nodes, "text_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "encoder_sequence_length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "encoder_sequence_length"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", D])],
        [numpy_helper.from_array(emb, "embedding")])
    return model(g)


def decoder(variant):
    f = TensorProto.FLOAT
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "decoder_sequence_length"]),
        helper.make_tensor_value_info("encoder_attention_mask", TensorProto.INT64, ["batch_size", "encoder_sequence_length"]),
        helper.make_tensor_value_info("encoder_hidden_states", f, ["batch_size", "encoder_sequence_length", D]),
    ]
    for i in range(L):
        for kind, length in (("decoder", "past_decoder_sequence_length"), ("encoder", "encoder_sequence_length_out")):
            for kv in ("key", "value"):
                inputs.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kind}.{kv}", f, ["batch_size", H, length, HD]))
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))

    logits_name = "scores" if variant == "wrong-names" else "logits"
    outputs = [helper.make_tensor_value_info(logits_name, f, ["batch_size", "decoder_sequence_length", V])]
    for i in range(L):
        for kind, length in (("decoder", "past_decoder_sequence_length + 1"), ("encoder", "encoder_sequence_length_out")):
            for kv in ("key", "value"):
                outputs.append(helper.make_tensor_value_info(f"present.{i}.{kind}.{kv}", f, ["batch_size", H, length, HD]))

    n = helper.make_node
    nodes = [
        const("i0", [0]), const("i1", [1]), const("i2", [2]), const("i3", [3]), const("m1", [-1]),
        const("kdim", [K]), const("hdim", [H]), const("hddim", [HD]), const("vdim", [V]),
        const("ax1", [1]), const("ax2", [2]), const("ax3", [3]), const("ax13", [1, 3]), const("ax123", [1, 2, 3]),
        const("ax01", [0, 1]),
        const("axis1", 1),
        # ids [B*K, S] -> [B, K, S] floats
        n("Shape", ["input_ids"], ["ids_shape"]),
        n("Slice", ["ids_shape", "i1", "i2"], ["seq_len"]),
        n("Concat", ["m1", "kdim", "seq_len"], ["bks_shape"], axis=0),
        n("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        n("Reshape", ["ids_f", "bks_shape"], ["ids_b"]),
        n("Unsqueeze", ["ids_b", "ax3"], ["ids_b1"]),
        n("Concat", ["ids_b1", "ids_b1"], ["new_kv"], axis=3),                      # [B, H, S, HD]
    ]
    for i in range(L):
        nodes += [
            const(f"scale{i}", [float(i + 1)], np.float32),
            n("Mul", ["new_kv", f"scale{i}"], [f"new_key{i}"]),
            n("Concat", [f"past_key_values.{i}.decoder.key", f"new_key{i}"], [f"present.{i}.decoder.key"], axis=2),
            n("Concat", [f"past_key_values.{i}.decoder.value", "new_kv"], [f"present.{i}.decoder.value"], axis=2),
        ]
    nodes += [
        # S: ids fed before (from the cache; layer 0 key = ids, HD copies) + cumulative sums of the new positions
        n("ReduceSum", ["past_key_values.0.decoder.key", "ax123"], ["past_sum2"], keepdims=0),
        const("half", [0.5], np.float32),
        n("Mul", ["past_sum2", "half"], ["past_sum"]),                                # [B]
        n("ReduceSum", ["ids_b", "ax1"], ["step_sum"], keepdims=0),                   # [B, S]
        n("CumSum", ["step_sum", "axis1"], ["cum_sum"]),
        n("Unsqueeze", ["past_sum", "ax1"], ["past_sum_col"]),
        n("Add", ["cum_sum", "past_sum_col"], ["s_total"]),                           # [B, S]
        # absolute positions p = past_len + 0..S-1
        n("Shape", ["past_key_values.0.decoder.key"], ["past_shape"]),
        n("Slice", ["past_shape", "i2", "i3"], ["past_len1"]),
        n("Squeeze", ["past_len1"], ["past_len"]),
        n("Squeeze", ["seq_len"], ["seq_len0"]),
        n("Add", ["past_len", "seq_len0"], ["end_pos"]),
        const("one", 1),
        n("Range", ["past_len", "end_pos", "one"], ["pos_i"]),
        n("Cast", ["pos_i"], ["pos"], to=TensorProto.FLOAT),                          # [S]
    ]

    # The two branches of the merged decoder: compute the encoder cache from the text, or reuse the one fed back.
    def enc_outputs(prefix):
        outs = [helper.make_tensor_value_info(f"{prefix}_e", f, None)]
        for i in range(L):
            for kv in ("key", "value"):
                outs.append(helper.make_tensor_value_info(f"{prefix}_present.{i}.encoder.{kv}", f, None))
        return outs

    then_nodes = [const("t_ax123", [1, 2, 3]), const("t_z", [0]), const("t_o", [1])]
    then_nodes += [
        n("Slice", ["past_key_values.0.encoder.key", "t_z", "t_o", "t_o"], ["t_head0"]),   # head 0
        n("ReduceSum", ["t_head0", "t_ax123"], ["t_e2"], keepdims=0),
        const("t_half", [0.5], np.float32),
        n("Mul", ["t_e2", "t_half"], ["then_e"]),
    ]
    for i in range(L):
        for kv in ("key", "value"):
            then_nodes.append(n("Identity", [f"past_key_values.{i}.encoder.{kv}"], [f"then_present.{i}.encoder.{kv}"]))
    then_graph = helper.make_graph(then_nodes, "cache_branch", [], enc_outputs("then"))

    else_nodes = [const("e_ax2", [2]), const("e_ax1", [1]), const("e_ax13", [1, 3]), const("e_b", [0]), const("e_b1", [1]),
                  const("e_t2", [2]), const("e_heads", [H]), const("e_hd", [HD])]
    else_nodes += [
        n("Cast", ["encoder_attention_mask"], ["e_mask_f"], to=TensorProto.FLOAT),
        n("Unsqueeze", ["e_mask_f", "e_ax2"], ["e_mask3"]),
        n("Mul", ["encoder_hidden_states", "e_mask3"], ["e_masked"]),
        n("ReduceSum", ["e_masked", "e_ax2"], ["e_tsum"], keepdims=0),               # [B, T]
        n("ReduceSum", ["e_tsum", "e_ax1"], ["else_e"], keepdims=0),                # [B]
        n("Unsqueeze", ["e_tsum", "e_ax13"], ["e_t4"]),                            # [B, 1, T, 1]
        n("Shape", ["encoder_attention_mask"], ["e_mshape"]),
        n("Slice", ["e_mshape", "e_b", "e_b1"], ["e_bdim"]),
        n("Slice", ["e_mshape", "e_b1", "e_t2"], ["e_tdim"]),
        n("Concat", ["e_bdim", "e_heads", "e_tdim", "e_hd"], ["e_kshape"], axis=0),
        n("Expand", ["e_t4", "e_kshape"], ["e_k"]),
    ]
    for i in range(L):
        else_nodes += [
            const(f"e_scale{i}", [float(i + 1)], np.float32),
            n("Mul", ["e_k", f"e_scale{i}"], [f"else_present.{i}.encoder.key"]),
            n("Identity", ["e_k"], [f"else_present.{i}.encoder.value"]),
        ]
    else_graph = helper.make_graph(else_nodes, "no_cache_branch", [], enc_outputs("else"))

    if_outputs = ["e_sum"] + [f"present.{i}.encoder.{kv}" for i in range(L) for kv in ("key", "value")]
    nodes.append(n("If", ["use_cache_branch"], if_outputs, then_branch=then_graph, else_branch=else_graph))

    kvec = (3 * np.arange(K, dtype=np.float32)).reshape(1, K, 1)
    vocab = np.arange(V, dtype=np.float32).reshape(1, 1, 1, V)
    nodes += [
        const("five", [5.0], np.float32), const("vocab_f", [float(V)], np.float32), const("neg_half", [-0.5], np.float32),
        const("kvec", kvec, np.float32), const("vocab_range", vocab, np.float32),
        n("Unsqueeze", ["s_total", "ax1"], ["s3"]),                                   # [B, 1, S]
        n("Mul", ["pos", "five"], ["pos5"]),
        n("Unsqueeze", ["pos5", "ax01"], ["pos3"]),                                   # [1, 1, S]
        n("Unsqueeze", ["e_sum", "ax1"], ["e2"]),
        n("Unsqueeze", ["e2", "ax2"], ["e3"]),                                        # [B, 1, 1]
        n("Add", ["s3", "kvec"], ["t_a"]),
        n("Add", ["t_a", "pos3"], ["t_b"]),
        n("Add", ["t_b", "e3"], ["t_c"]),
        n("Mod", ["t_c", "vocab_f"], ["target"], fmod=1),                             # [B, K, S]
        n("Unsqueeze", ["target", "ax3"], ["target4"]),
        n("Sub", ["vocab_range", "target4"], ["dist"]),
        n("Abs", ["dist"], ["adist"]),
        n("Mul", ["adist", "neg_half"], ["logits4"]),                                 # [B, K, S, V]
        n("Concat", ["m1", "seq_len", "vdim"], ["logits_shape"], axis=0),
    ]
    if variant == "nan":
        nodes += [
            const("three", [3.0], np.float32), const("nan", [float("nan")], np.float32), const("onef", [1.0], np.float32),
            n("GreaterOrEqual", ["pos", "three"], ["late"]),
            n("Where", ["late", "nan", "onef"], ["poison"]),
            n("Unsqueeze", ["poison", "ax01"], ["poison3"]),
            n("Unsqueeze", ["poison3", "ax3"], ["poison4"]),
            n("Mul", ["logits4", "poison4"], ["logits4p"]),
            n("Reshape", ["logits4p", "logits_shape"], [logits_name]),
        ]
    else:
        nodes.append(n("Reshape", ["logits4", "logits_shape"], [logits_name]))
    return model(helper.make_graph(nodes, "decoder_model_merged", inputs, outputs))


def encodec():
    n = helper.make_node
    nodes = [
        const("ax0", [0]), const("ax2", [2]), const("i0", [0]), const("i2", [2]), const("rep", [160, K]), const("out", [0, 1, -1]),
        const("offset", [1024.0], np.float32), const("scale", [1.0 / 4096], np.float32),
        n("Cast", ["audio_codes"], ["codes_f"], to=TensorProto.FLOAT),
        n("Squeeze", ["codes_f", "ax0"], ["codes3"]),                 # [B, K, F]
        n("Transpose", ["codes3"], ["frames"], perm=[0, 2, 1]),       # [B, F, K]
        n("Unsqueeze", ["frames", "ax2"], ["frames4"]),               # [B, F, 1, K]
        n("Shape", ["frames"], ["fshape"]),
        n("Slice", ["fshape", "i0", "i2"], ["bf"]),
        n("Concat", ["bf", "rep"], ["eshape"], axis=0),
        n("Expand", ["frames4", "eshape"], ["tiled"]),                # [B, F, 160, K]
        n("Reshape", ["tiled", "out"], ["flat"]),
        n("Sub", ["flat", "offset"], ["centred"]),
        n("Mul", ["centred", "scale"], ["audio_values"]),
    ]
    g = helper.make_graph(
        nodes, "encodec_decode",
        [helper.make_tensor_value_info("audio_codes", TensorProto.INT64, [1, "batch_size", K, "chunk_length"])],
        [helper.make_tensor_value_info("audio_values", TensorProto.FLOAT, ["batch_size", 1, "audio_length"])])
    return model(g)


def tokenizer():
    pieces = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁", -2.0]]
    for word in ["kick", "snare", "hat", "jazz", "piano", "chord", "cat", "bass", "lo", "fi", "dusty", "warm"]:
        pieces.append(["▁" + word, -4.0])
    for c in "abcdefghijklmnopqrstuvwxyz0123456789-,.":
        pieces.append([c, -6.0])
        pieces.append(["▁" + c, -6.5])
    return {
        "version": "1.0",
        "added_tokens": [{"id": 0, "content": "<pad>", "special": True}, {"id": 1, "content": "</s>", "special": True},
                         {"id": 2, "content": "<unk>", "special": True}],
        "normalizer": {"type": "Sequence", "normalizers": []},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
                                                                {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"}]},
        "post_processor": {"type": "TemplateProcessing"},
        "decoder": {"type": "Metaspace", "replacement": "▁"},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": pieces},
    }


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    out = args[0]
    variant = args[1] if len(args) > 1 else "good"
    onnx_dir = out if "--flat" in flags else os.path.join(out, "onnx")
    suffix = "_quantized" if "--quantized" in flags else ""
    os.makedirs(onnx_dir, exist_ok=True)
    config = {
        "model_type": "musicgen",
        "architectures": ["MusicgenForConditionalGeneration"],
        "text_encoder": {"model_type": "t5", "d_model": D, "vocab_size": TEXT_V},
        "audio_encoder": {"model_type": "encodec", "sampling_rate": 32000, "codebook_size": 2048,
                          "upsampling_ratios": [8, 5, 4, 4], "audio_channels": 1},
        "decoder": {"model_type": "musicgen_decoder", "num_codebooks": K, "vocab_size": V, "num_hidden_layers": L,
                    "num_attention_heads": H, "hidden_size": H * HD, "pad_token_id": 2048, "bos_token_id": 2048,
                    "max_position_embeddings": 2048, "audio_channels": 1},
        "decoder_start_token_id": 2048, "pad_token_id": 2048,
    }
    generation = {"decoder_start_token_id": 2048, "pad_token_id": 2048, "bos_token_id": 2048, "do_sample": True,
                  "guidance_scale": 3.0, "max_length": 1500, "top_k": 250}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump(generation, f, indent=2)
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer(), f, ensure_ascii=False)
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "T5Tokenizer", "model_max_length": 512, "eos_token": "</s>", "pad_token": "<pad>",
                   "unk_token": "<unk>"}, f)
    onnx.save(text_encoder(), os.path.join(onnx_dir, f"text_encoder{suffix}.onnx"))
    onnx.save(decoder(variant), os.path.join(onnx_dir, f"decoder_model_merged{suffix}.onnx"))
    onnx.save(encodec(), os.path.join(onnx_dir, f"encodec_decode{suffix}.onnx"))


if __name__ == "__main__":
    main()
