/** placeholder */ package io.edgesbc.media;
