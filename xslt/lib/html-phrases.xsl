<?xml version="1.0" encoding="UTF-8"?>
<!--
  Phrase-level TEI to HTML (mode st:html): highlighting, quotations, citations, titles,
  line/page breaks, milestones, the notes' place (divGen), links.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== phrases ===== -->

  <xsl:template match="tei:hi | tei:seg | tei:foreign | tei:soCalled | tei:mentioned | tei:term
      | tei:gloss | tei:said | tei:distinct" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:emph" mode="st:html">
    <em>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </em>
  </xsl:template>

  <xsl:template match="tei:said[st:has-block(.)]" mode="st:html" priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'said'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q" mode="st:html">
    <q>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </q>
  </xsl:template>

  <xsl:template match="tei:quote[st:has-block(.)] | tei:q[st:has-block(.)]" mode="st:html"
      priority="2">
    <blockquote>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </blockquote>
  </xsl:template>

  <xsl:template match="tei:cit" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'cit'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:cit[st:has-block(.)]" mode="st:html" priority="2">
    <figure>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'cit'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node() except tei:bibl" mode="#current"/>
      <xsl:if test="tei:bibl">
        <figcaption><xsl:apply-templates select="tei:bibl" mode="#current"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <xsl:template match="tei:title" mode="st:html">
    <cite>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </cite>
  </xsl:template>

  <xsl:template match="tei:bibl" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'bibl'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:lb" mode="st:html"><br/></xsl:template>
  <xsl:template match="tei:lb[@break = 'no']" mode="st:html" priority="2"/>

  <xsl:template match="tei:pb" mode="st:html">
    <xsl:if test="normalize-space(@n)">
      <span class="pb" title="page {normalize-space(@n)}">
        <xsl:value-of select="'[' || normalize-space(@n) || ']'"/>
      </span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:cb | tei:gb | tei:anchor | tei:divGen | tei:index" mode="st:html"/>

  <!-- The place the source gives its notes (divGen type="notes"): the notes are listed there,
       under the source's own heading, instead of in a section of their own at the end. -->
  <xsl:template match="tei:divGen[st:is-notes-place(.)]" mode="st:html" priority="2">
    <xsl:call-template name="st:note-list">
      <xsl:with-param name="notes" select="ancestor::tei:text[last()]//tei:note"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="st:is-notes-place" as="xs:boolean">
    <xsl:param name="divgen" as="element(tei:divGen)"/>
    <xsl:sequence select="$divgen/@type = ('notes', 'footnotes', 'endnotes')
        and not($divgen/preceding::tei:divGen[@type = ('notes', 'footnotes', 'endnotes')])
        and not($divgen/ancestor::tei:note)"/>
  </xsl:function>

  <xsl:template name="st:note-list">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <ol class="notes">
      <xsl:apply-templates select="$notes" mode="st:notes"/>
    </ol>
  </xsl:template>

  <xsl:template match="tei:milestone" mode="st:html">
    <span class="milestone" role="separator"/>
  </xsl:template>

  <!-- A paragraph break of the source (a page end) that the edition does not keep. -->
  <xsl:template match="tei:milestone[@type = 'spurious-break']" mode="st:html" priority="2">
    <span class="spurious-break" title="paragraph break in the source (page end), not kept"
        aria-hidden="true">¦</span>
  </xsl:template>

  <!-- ===== links ===== -->

  <xsl:template match="tei:ref[exists(st:href(@target))]" mode="st:html">
    <a href="{st:href(@target)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </a>
  </xsl:template>

  <xsl:template match="tei:ptr[exists(st:href(@target))]" mode="st:html">
    <xsl:variable name="target" select="st:href(@target)"/>
    <a href="{$target}"><xsl:value-of select="$target"/></a>
  </xsl:template>

  <!-- An unsafe pointer is shown as inert text, so that nothing is silently lost. -->
  <xsl:template match="tei:ptr" mode="st:html">
    <span class="ptr"><xsl:value-of select="@target"/></span>
  </xsl:template>

</xsl:stylesheet>
